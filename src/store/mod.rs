//! Files on disk: paths, config, history.
