//! Which server the console and the headless commands talk to.
