//! The `fdl` executable; everything lives in [`fdl::cli`] so that it can be tested.

fn main() -> std::process::ExitCode {
    fdl::cli::main()
}
