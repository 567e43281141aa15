fn main() -> std::process::ExitCode {
    gemini_doctor::cli::main()
}
