use std::process::ExitCode;

fn main() -> ExitCode {
    oaslint::cli::main()
}
