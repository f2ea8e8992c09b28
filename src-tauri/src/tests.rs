//! Commands driven through Tauri's IPC on a mock runtime: no window, the real argument decoding,
//! capabilities and error shape.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

use super::*;

struct Harness {
    _dir: tempfile::TempDir,
    /// The service behind the window, for moving its clock in tests.
    homewatch: Homewatch,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn console() -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let homewatch =
        tauri::async_runtime::block_on(Homewatch::open(Config::embedded(dir.path()))).unwrap();
    let app = with_commands(mock_builder())
        .manage(Console::new(homewatch.clone()))
        .build(tauri::generate_context!())
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        homewatch,
        _app: app,
        window,
    }
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn error_code(&self, cmd: &str, args: Value) -> String {
        let error = self.call(cmd, args).expect_err(cmd);
        error["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{cmd}: not {{code, message}}: {error}"))
            .into()
    }

    /// Runs the scheduler hour by hour for `days` from now, as the running console would.
    fn pass_days(&self, days: i64) {
        let start = chrono::Utc::now();
        for hour in 1..=days * 24 {
            let at = start + chrono::Duration::hours(hour);
            tauri::async_runtime::block_on(self.homewatch.tick(at)).unwrap();
        }
    }

    fn sign_in_first_supervisor(&self) -> Value {
        let account = json!({
            "username": "rhea",
            "display_name": "Rhea Okafor",
            "password": "correct horse battery",
            "role": "supervisor",
        });
        self.ok("create_first_account", json!({ "account": account }));
        self.ok(
            "sign_in",
            json!({ "username": "rhea", "password": "correct horse battery" }),
        )
    }

    fn enroll_lucia(&self) -> Value {
        let request = json!({
            "name": "Lucía Fernández",
            "phone": "(206) 555-0142",
            "language": "es",
            "timezone": "America/Los_Angeles",
            "days": 14,
            "check_in_times": null,
            "consent": { "obtained_by": "Rhea Okafor", "method": "verbal" },
        });
        self.ok("enroll", json!({ "request": request }))
    }
}

#[test]
fn first_run_creates_a_supervisor_who_can_then_sign_in() {
    let console = console();
    assert_eq!(console.ok("needs_first_account", json!({})), json!(true));
    assert_eq!(console.ok("current_staff", json!({})), Value::Null);

    let staff = console.sign_in_first_supervisor();
    assert_eq!(staff["display_name"], "Rhea Okafor");
    assert_eq!(staff["role"], "supervisor");
    assert_eq!(console.ok("needs_first_account", json!({})), json!(false));
    assert_eq!(console.ok("current_staff", json!({}))["username"], "rhea");

    console.ok("sign_out", json!({}));
    assert_eq!(console.ok("current_staff", json!({})), Value::Null);
    let wrong = json!({ "username": "rhea", "password": "not the password" });
    assert_eq!(console.error_code("sign_in", wrong), "unauthorized");
}

#[test]
fn commands_on_patients_need_someone_signed_in() {
    let console = console();
    for (cmd, args) in [
        ("programme", json!({})),
        ("patients", json!({})),
        ("patient", json!({ "id": 1 })),
        ("extend_episode", json!({ "patientId": 1, "days": 7 })),
        (
            "update_patient",
            json!({ "patientId": 1, "update": { "language": "en" } }),
        ),
        ("open_flags", json!({})),
        ("opt_out", json!({ "patientId": 1, "reason": "moved away" })),
        (
            "resolve_escalation",
            json!({ "escalationId": 1, "note": "called back" }),
        ),
        ("resolve_flag", json!({ "flagId": 1 })),
        ("outbox", json!({ "phone": null })),
        (
            "simulate_inbound_sms",
            json!({ "from": "+12065550142", "body": "1" }),
        ),
    ] {
        assert_eq!(console.error_code(cmd, args), "unauthorized", "{cmd}");
    }
}

#[test]
fn an_enrolled_patient_is_listed_and_opens() {
    let console = console();
    console.sign_in_first_supervisor();
    let programme = console.ok("programme", json!({}));
    assert!(programme["simulated"].as_bool().unwrap());

    let enrolled = console.enroll_lucia();
    assert_eq!(enrolled["phone"], "+12065550142");

    let list = console.ok("patients", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 1);
    let detail = console.ok("patient", json!({ "id": enrolled["id"] }));
    assert_eq!(detail["consents"][0]["obtained_by"], "Rhea Okafor");

    // The service's own error comes back as `{code, message}`, not as a Tauri string.
    let missing = json!({ "patientId": 9999, "reason": "moved away" });
    assert_eq!(console.error_code("opt_out", missing), "not_found");
}

#[test]
fn worsening_replies_from_the_simulator_escalate_and_staff_resolve_it() {
    let console = console();
    console.sign_in_first_supervisor();
    let patient = console.enroll_lucia();

    for body in ["3", "sí"] {
        console.ok(
            "simulate_inbound_sms",
            json!({ "from": "+12065550142", "body": body }),
        );
    }
    let detail = console.ok("patient", json!({ "id": patient["id"] }));
    let escalation = &detail["escalations"][0];
    assert_eq!(escalation["status"], "open", "{detail:#}");
    let received = console.ok("outbox", json!({ "phone": "+12065550142" }));
    assert!(received.as_array().unwrap().len() >= 2, "{received:#}");

    let resolve = json!({ "escalationId": escalation["id"], "note": "called back, stable" });
    let summary = console.ok("resolve_escalation", resolve);
    assert_eq!(summary["open_escalation"], false);
}

#[test]
fn staff_extend_the_programme_and_change_the_patients_details() {
    let console = console();
    console.sign_in_first_supervisor();
    let patient = console.enroll_lucia();
    assert_eq!(patient["programme_days"], 14);
    assert_eq!(patient["missed_check_ins"], 0);

    let extended = console.ok(
        "extend_episode",
        json!({ "patientId": patient["id"], "days": 7 }),
    );
    assert_eq!(extended["programme_days"], 21);
    let too_long = json!({ "patientId": patient["id"], "days": 100_000 });
    assert_eq!(
        console.error_code("extend_episode", too_long),
        "invalid_input"
    );

    // Absent fields stay as they are.
    let update = json!({ "language": "en", "check_in_times": "09:00,18:00" });
    let updated = console.ok(
        "update_patient",
        json!({ "patientId": patient["id"], "update": update }),
    );
    assert_eq!(updated["language"], "en");
    assert_eq!(updated["timezone"], "America/Los_Angeles");
    let detail = console.ok("patient", json!({ "id": patient["id"] }));
    assert_eq!(detail["episodes"][0]["check_in_times"], "09:00,18:00");
    assert!(detail["check_ins"].is_array(), "{detail:#}");

    let bad_zone = json!({ "patientId": patient["id"], "update": { "timezone": "Mars/Base" } });
    assert_eq!(
        console.error_code("update_patient", bad_zone),
        "invalid_input"
    );
}

#[test]
fn open_flags_lists_flags_across_patients_until_staff_handle_them() {
    let console = console();
    console.sign_in_first_supervisor();
    let patient = console.enroll_lucia();
    assert_eq!(console.ok("open_flags", json!({})), json!([]));

    // Check-ins go unanswered for days: the scheduler flags the patient for staff.
    console.pass_days(4);
    let flags = console.ok("open_flags", json!({}));
    let flag = &flags[0];
    assert_eq!(flag["kind"], "missed_check_ins", "{flags:#}");
    assert_eq!(flag["patient_id"], patient["id"]);
    let detail = console.ok("patient", json!({ "id": patient["id"] }));
    assert!(
        detail["summary"]["missed_check_ins"].as_u64().unwrap() >= 2,
        "{detail:#}"
    );
    assert_eq!(detail["check_ins"][0]["status"], "missed", "{detail:#}");

    console.ok("resolve_flag", json!({ "flagId": flag["id"] }));
    assert_eq!(console.ok("open_flags", json!({})), json!([]));
}
