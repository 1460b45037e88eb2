//! Starts `spec-check server` for Markdown files: the executable found on the worktree's
//! `PATH`, with the worktree's shell environment.

use zed_extension_api::{self as zed, LanguageServerId, Result};

struct SpecCheck;

impl zed::Extension for SpecCheck {
    fn new() -> Self {
        SpecCheck
    }

    fn language_server_command(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let command = worktree.which("spec-check").ok_or_else(|| {
            "spec-check is not on PATH: install it (see the spec-check README) and restart Zed"
                .to_string()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["server".to_string()],
            env: worktree.shell_env(),
        })
    }
}

zed::register_extension!(SpecCheck);
