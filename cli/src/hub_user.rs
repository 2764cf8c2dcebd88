//! `suhbat hub user …`: accounts of the base-point console (the supervisors' web page).

use anyhow::{Context, Result};
use clap::Subcommand;
use std::io::BufRead;
use std::path::PathBuf;
use suhbat_hub::{add_console_account, new_password, ConsoleRole};

#[derive(Subcommand)]
pub(crate) enum UserCommand {
    /// Creates a console account (or gives an existing one a new role, mahallas and password).
    /// Without --password-stdin a random password is made and printed once.
    Add {
        /// Data folder of the hub.
        #[arg(long)]
        data: PathBuf,
        /// The name the person signs in with.
        name: String,
        /// supervisor, head (of a base point) or seven (a member of a mahalla seven: no register pages).
        #[arg(long, default_value = "supervisor", value_parser = parse_console_role)]
        role: ConsoleRole,
        /// Mahalla the account sees (repeat; `*` for every mahalla).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_console_role(text: &str) -> Result<ConsoleRole, String> {
    ConsoleRole::parse(text).ok_or_else(|| format!("unknown console role {text:?}; use supervisor, head or seven"))
}

pub(crate) fn run(cmd: UserCommand) -> Result<()> {
    match cmd {
        UserCommand::Add { data, name, role, scopes, password_stdin } => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                new_password()
            };
            add_console_account(&data, &name, role, &scopes, &password)?;
            println!("console account {name} ({}) for {}", role.as_str(), scopes.join(", "));
            if !password_stdin {
                println!("password: {password}");
            }
        }
    }
    Ok(())
}
