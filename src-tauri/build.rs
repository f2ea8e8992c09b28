// The console's commands, one line each: tauri-build turns them into `allow-<command>`
// permissions, which `capabilities/default.json` grants one by one.
const COMMANDS: &[&str] = &[
    "needs_first_account",
    "create_first_account",
    "create_staff",
    "sign_in",
    "sign_out",
    "current_staff",
    "programme",
    "enroll",
    "patients",
    "patient",
    "extend_episode",
    "update_patient",
    "opt_out",
    "resolve_escalation",
    "open_flags",
    "resolve_flag",
    "simulate_inbound_sms",
    "outbox",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check tauri.conf.json, capabilities/ and ../ui/dist");
}
