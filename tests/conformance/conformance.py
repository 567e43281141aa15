"""Runs google-genai (Python) against the sandbox at $SANDBOX_BASE_URL.

Each check asserts what the SDK does against the real service: success shapes, and for
every failure the SDK's own error class with the right code and status.
"""

import json
import os
import sys
import traceback
import urllib.request

from google import genai
from google.genai import errors, types

BASE = os.environ["SANDBOX_BASE_URL"]
KEY = "conformance-python-key"
# google-genai 3.x defaults to v1; pin v1beta (the surface with thinking and system instructions).
client = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=BASE, api_version="v1beta"))
passed, failed = 0, 0


def admin(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{BASE}/__sandbox/{path}", data=data, method=method)
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def arm(fault):
    admin("POST", "faults", fault)


def check(fn):
    global passed, failed
    try:
        fn()
        passed += 1
        print(f"ok   {fn.__name__}")
    except Exception:  # noqa: BLE001 - report and continue
        failed += 1
        print(f"FAIL {fn.__name__}")
        traceback.print_exc()


def expect_error(cls, code, status, fn):
    try:
        fn()
    except cls as e:
        assert e.code == code, (e.code, str(e))
        assert e.status == status, (e.status, str(e))
        return e
    raise AssertionError(f"expected {cls.__name__} {code}")


def list_models():
    names = [m.name for m in client.models.list()]
    assert "models/gemini-2.5-flash" in names, names
    paged = [m.name for m in client.models.list(config={"page_size": 2})]
    assert paged == names, (paged, names)
    m = client.models.get(model="gemini-2.5-pro")
    assert m.input_token_limit == 1048576 and m.thinking is True


def generate():
    r = client.models.generate_content(model="gemini-2.5-flash", contents="Hello from Python")
    assert r.text.startswith("[sandbox] "), r.text
    assert r.candidates[0].finish_reason == types.FinishReason.STOP
    u = r.usage_metadata
    assert u.total_token_count == u.prompt_token_count + u.candidates_token_count + (u.thoughts_token_count or 0)


def deterministic():
    cfg = types.GenerateContentConfig(temperature=0.8, seed=11)
    a = client.models.generate_content(model="gemini-2.0-flash", contents="same", config=cfg).text
    b = client.models.generate_content(model="gemini-2.0-flash", contents="same", config=cfg).text
    assert a == b


def stream():
    chunks = list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="Stream please"))
    assert len(chunks) >= 2, len(chunks)
    assert chunks[-1].candidates[0].finish_reason == types.FinishReason.STOP
    assert all(c.candidates[0].finish_reason is None for c in chunks[:-1])
    assert "".join(c.text or "" for c in chunks).startswith("[sandbox] ")


def structured_output():
    from pydantic import BaseModel

    class Fruit(BaseModel):
        name: str
        calories: int

    cfg = types.GenerateContentConfig(response_mime_type="application/json", response_schema=list[Fruit])
    r = client.models.generate_content(model="gemini-2.5-flash", contents="two fruits", config=cfg)
    assert isinstance(r.parsed, list) and isinstance(r.parsed[0], Fruit), r.text


def count_tokens():
    r = client.models.count_tokens(model="gemini-2.5-flash", contents="Explain rate limits")
    assert r.total_tokens == 5, r.total_tokens


def key_failures():
    def client_with(key, **extra):
        return genai.Client(api_key=key, http_options=types.HttpOptions(base_url=BASE, api_version="v1beta", **extra))

    cases = [
        ("an-invalid-key", 400, "INVALID_ARGUMENT", "API_KEY_INVALID"),
        ("notfound-key", 400, "INVALID_ARGUMENT", "API_KEY_INVALID"),
        ("expired-key", 400, "INVALID_ARGUMENT", "API_KEY_INVALID"),
        ("leaked-key", 403, "PERMISSION_DENIED", None),
        ("suspended-key", 403, "PERMISSION_DENIED", "CONSUMER_SUSPENDED"),
        ("blocked-key", 403, "PERMISSION_DENIED", "API_KEY_SERVICE_BLOCKED"),
        ("noaccess-key", 403, "PERMISSION_DENIED", None),
        ("disabled-key", 403, "PERMISSION_DENIED", "SERVICE_DISABLED"),
        ("vertex-key", 401, "UNAUTHENTICATED", "CREDENTIALS_MISSING"),
    ]
    for key, code, status, reason in cases:
        c = client_with(key)
        e = expect_error(errors.ClientError, code, status,
                         lambda: c.models.generate_content(model="gemini-2.5-flash", contents="x"))
        if reason:
            assert e.details["error"]["details"][0]["reason"] == reason, (key, e.details)
    # An empty key header reaches the server as "no key".
    c = client_with("unused", headers={"x-goog-api-key": ""})
    e = expect_error(errors.ClientError, 403, "PERMISSION_DENIED",
                     lambda: c.models.generate_content(model="gemini-2.5-flash", contents="x"))
    assert e.message.startswith("Method doesn't allow unregistered callers"), e.message
    # Tuned models refuse API keys.
    expect_error(errors.ClientError, 403, "PERMISSION_DENIED",
                 lambda: client.models.generate_content(model="tunedModels/sandbox-tuned-model", contents="x"))


def unknown_model():
    e = expect_error(errors.ClientError, 404, "NOT_FOUND",
                     lambda: client.models.generate_content(model="gemini-1.5-flash", contents="x"))
    assert "is not found for API version v1beta" in e.message


def v1_unknown_field():
    c = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=BASE, api_version="v1"))
    cfg = types.GenerateContentConfig(system_instruction="be brief")
    e = expect_error(errors.ClientError, 400, "INVALID_ARGUMENT",
                     lambda: c.models.generate_content(model="gemini-2.5-flash", contents="x", config=cfg))
    assert 'Unknown name "systemInstruction"' in e.message, e.message


def sdk_default_version():
    # The SDK's own default version (v1 in google-genai 3.x) with the 2026 v1 surface switched on.
    c = genai.Client(api_key=KEY, http_options=types.HttpOptions(base_url=BASE))
    cfg = admin("GET", "config")
    admin("PUT", "config", {**cfg, "v1_has_beta_fields": True})
    try:
        r = c.models.generate_content(model="gemini-2.5-flash", contents="x",
                                      config=types.GenerateContentConfig(system_instruction="be brief"))
        assert r.text.startswith("[sandbox] ")
    finally:
        admin("PUT", "config", cfg)


def out_of_range():
    cfg = types.GenerateContentConfig(temperature=3.0)
    expect_error(errors.ClientError, 400, "INVALID_ARGUMENT",
                 lambda: client.models.generate_content(model="gemini-2.5-flash", contents="x", config=cfg))
    cfg = types.GenerateContentConfig(thinking_config=types.ThinkingConfig(thinking_budget=52428))
    e = expect_error(errors.ClientError, 400, "INVALID_ARGUMENT",
                     lambda: client.models.generate_content(model="gemini-2.5-flash", contents="x", config=cfg))
    assert e.message == "The thinking budget (52428) is invalid."


def rate_limited():
    # conformance.toml gives gemini-2.0-flash-lite 1 request per minute.
    admin("POST", "reset")
    client.models.generate_content(model="gemini-2.0-flash-lite", contents="first")
    e = expect_error(errors.ClientError, 429, "RESOURCE_EXHAUSTED",
                     lambda: client.models.generate_content(model="gemini-2.0-flash-lite", contents="second"))
    types_seen = [d["@type"].rsplit(".", 1)[1] for d in e.details["error"]["details"]]
    assert types_seen == ["QuotaFailure", "Help", "RetryInfo"], types_seen


def server_errors():
    for code, cls, status in [(500, errors.ServerError, "INTERNAL"), (503, errors.ServerError, "UNAVAILABLE"),
                              (504, errors.ServerError, "DEADLINE_EXCEEDED")]:
        arm({"kind": "status", "code": code})
        expect_error(cls, code, status, lambda: client.models.generate_content(model="gemini-2.5-flash", contents="x"))


def region():
    cfg = admin("GET", "config")
    cfg["region_supported"] = False
    admin("PUT", "config", cfg)
    try:
        expect_error(errors.ClientError, 400, "FAILED_PRECONDITION",
                     lambda: client.models.generate_content(model="gemini-2.5-flash", contents="x"))
    finally:
        cfg["region_supported"] = True
        admin("PUT", "config", cfg)


def in_stream_error():
    arm({"kind": "stream_error", "code": 503, "after_chunks": 1})
    got = []

    def run():
        for c in client.models.generate_content_stream(model="gemini-2.5-flash", contents="Stream please"):
            got.append(c)

    expect_error(errors.ServerError, 503, "UNAVAILABLE", run)
    assert len(got) == 1, len(got)


def html_502():
    arm({"kind": "html502"})
    try:
        client.models.generate_content(model="gemini-2.5-flash", contents="x")
    except errors.ServerError as e:
        assert e.code == 502, e.code
        return
    raise AssertionError("expected ServerError 502")


def transport_faults():
    for fault in [{"kind": "malformed_chunk"}, {"kind": "drop", "after_chunks": 1}]:
        arm(fault)
        try:
            list(client.models.generate_content_stream(model="gemini-2.5-flash", contents="Stream please"))
        except Exception:  # noqa: BLE001 - any failure is the point
            continue
        raise AssertionError(f"{fault} did not fail the stream")


def blocked_prompt():
    r = client.models.generate_content(model="gemini-2.5-flash", contents="hello sandbox:block-safety")
    assert not r.candidates
    assert r.prompt_feedback.block_reason == types.BlockedReason.SAFETY
    assert r.text is None


def thinking_ate_budget():
    cfg = types.GenerateContentConfig(max_output_tokens=10)
    r = client.models.generate_content(model="gemini-2.5-flash", contents="think hard", config=cfg)
    assert r.candidates[0].finish_reason == types.FinishReason.MAX_TOKENS
    assert r.text is None
    assert r.usage_metadata.thoughts_token_count == 10


for f in [list_models, generate, deterministic, stream, structured_output, count_tokens, key_failures, unknown_model,
          v1_unknown_field, sdk_default_version, out_of_range, rate_limited, server_errors, region, in_stream_error, html_502,
          transport_faults, blocked_prompt, thinking_ate_budget]:
    check(f)

print(f"python: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
