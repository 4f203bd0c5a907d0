//! The second catalogue's rules on shapes other than the captured fixtures: other servers'
//! GraphQL and gRPC errors, and inputs on which they must stay quiet.

use crate::{Options, diagnose};

fn ids(text: &str) -> Vec<&'static str> {
    diagnose(text, &Options::default())
        .expect("diagnosable")
        .finding_ids()
}

fn response(status: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn graphql_errors_of_other_servers() {
    // Hasura: no `data`, the path inside `extensions`.
    let hasura = response(
        "200 OK",
        r#"{"errors":[{"extensions":{"path":"$.selectionSet.foo","code":"validation-failed"},"message":"field 'foo' not found in type: 'query_root'"}]}"#,
    );
    let found = ids(&hasura);
    assert!(found.contains(&"graphql.errors"), "{found:?}");
    assert!(found.contains(&"graphql.query-invalid"), "{found:?}");
    // GitHub: `type` and every asked field null.
    let github = response(
        "200 OK",
        r#"{"data":{"repository":null},"errors":[{"type":"NOT_FOUND","path":["repository"],"locations":[{"line":7,"column":3}],"message":"Could not resolve to a Repository with the name 'octo/nope'."}]}"#,
    );
    let report = diagnose(&github, &Options::default()).unwrap();
    let finding = &report.exchanges[0].findings[0];
    assert_eq!(finding.id, "graphql.errors");
    assert!(
        finding.title.contains("failed under a 200"),
        "{}",
        finding.title
    );
    assert!(finding.explanation.contains("code NOT_FOUND"));
    assert!(!report.finding_ids().contains(&"graphql.query-invalid"));
    let github_invalid = response(
        "200 OK",
        r#"{"errors":[{"path":["query","repository","foo"],"extensions":{"code":"undefinedField","typeName":"Repository","fieldName":"foo"},"locations":[{"line":3,"column":5}],"message":"Field 'foo' doesn't exist on type 'Repository'"}]}"#,
    );
    assert!(ids(&github_invalid).contains(&"graphql.query-invalid"));
}

#[test]
fn graphql_stays_quiet_on_rest_errors_and_clean_data() {
    // Twitter's v1 REST shape is not GraphQL's.
    let rest = response(
        "401 Unauthorized",
        r#"{"errors":[{"message":"Could not authenticate you","code":32}]}"#,
    );
    assert!(!ids(&rest).iter().any(|id| id.starts_with("graphql.")));
    let clean = response("200 OK", r#"{"data":{"books":[{"id":"1"}]}}"#);
    assert!(ids(&clean).is_empty(), "{:?}", ids(&clean));
}

#[test]
fn grpc_status_from_clients_and_not_from_rest_codes() {
    for text in [
        "rpc error: code = Unavailable desc = connection error: desc = \"transport: Error while dialing: dial tcp 10.0.0.5:50051: connect: connection refused\"\n",
        "Error: 14 UNAVAILABLE: No connection established\n    at callErrorFromStatus (/app/node_modules/@grpc/grpc-js/build/src/call.js:31:19)\n",
    ] {
        let found = ids(text);
        assert!(found.contains(&"grpc.status"), "{text}: {found:?}");
    }
    // A REST API's `code` is not Connect's: the URL is no `/package.Service/Method`.
    let rest = format!(
        "> GET /api/users/1 HTTP/1.1\n> Host: api.test\n>\n< HTTP/1.1 404 Not Found\n< Content-Type: application/json\n<\n{}\n",
        r#"{"code":"not_found","message":"no such user"}"#
    );
    assert!(!ids(&rest).contains(&"grpc.status"));
    // A success with grpc-status 0 is quiet.
    let ok = "HTTP/2 200\r\ncontent-type: application/grpc\r\ngrpc-status: 0\r\n\r\n";
    assert!(!ids(ok).contains(&"grpc.status"));
}

fn har(status: u16, time: f64) -> String {
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"test","version":"1"}},"entries":[{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":{time},"request":{{"method":"GET","url":"https://api.test/report","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0}},"response":{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{{"size":0,"mimeType":"text/plain"}},"redirectURL":"","headersSize":-1,"bodySize":0}},"cache":{{}},"timings":{{"send":0,"wait":{time},"receive":0}}}}]}}}}"#
    )
}

#[test]
fn timeout_limits_are_measured_and_successes_stay_quiet() {
    let found = ids(&har(504, 29_050.0));
    assert!(found.contains(&"gateway.timeout-limit"), "{found:?}");
    let report = diagnose(&har(504, 29_050.0), &Options::default()).unwrap();
    let title = &report.exchanges[0]
        .findings
        .iter()
        .find(|f| f.id == "gateway.timeout-limit")
        .unwrap()
        .title;
    assert!(title.contains("29-second"), "{title}");
    assert!(!ids(&har(200, 60_010.0)).contains(&"gateway.timeout-limit"));
    assert!(!ids(&har(504, 12_000.0)).contains(&"gateway.timeout-limit"));
}

#[test]
fn nginx_499_is_a_closed_request() {
    let text = "HTTP/1.1 499 Client Closed Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n";
    assert!(ids(text).contains(&"client.closed-request"));
}

fn entry(method: &str, url: &str, status: i32, failure: &str) -> String {
    format!(
        r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":5,"request":{{"method":"{method}","url":"{url}","httpVersion":"HTTP/1.1","headers":[{{"name":"Authorization","value":"Bearer abc"}}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0}},"response":{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[],"cookies":[],"content":{{"size":0,"mimeType":"text/plain"}},"redirectURL":"","headersSize":-1,"bodySize":0,"_error":"{failure}"}},"cache":{{}},"timings":{{"send":0,"wait":5,"receive":0}}}}"#
    )
}

#[test]
fn a_rejected_preflight_entry_leads_the_blocked_call() {
    let entries = [
        entry("OPTIONS", "https://api.test/v1/items", 403, ""),
        entry("GET", "https://api.test/v1/items", 0, "net::ERR_FAILED"),
    ];
    let text = format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"WebInspector","version":"537.36"}},"entries":[{}]}}}}"#,
        entries.join(",")
    );
    let report = diagnose(&text, &Options::default()).unwrap();
    let root = report.root_failure.as_ref().expect("a root failure");
    assert_eq!((root.root, root.consequences.clone()), (0, vec![1]));
    assert!(report.finding_ids().contains(&"capture.failure-cascade"));
}

#[test]
fn independent_failures_are_no_cascade() {
    let text = "> GET /a HTTP/1.1\n> Host: api.test\n>\n< HTTP/1.1 500 Internal Server Error\n< Content-Length: 2\n<\nno\n> GET /b HTTP/1.1\n> Host: api.test\n>\n< HTTP/1.1 401 Unauthorized\n< Content-Length: 2\n<\nno\n";
    let report = diagnose(text, &Options::default()).unwrap();
    assert_eq!(report.exchanges.len(), 2);
    assert!(report.root_failure.is_none());
}

#[test]
fn grpc_web_text_trailers_are_decoded() {
    use base64::Engine;
    let trailer = b"grpc-status: 14\r\ngrpc-message: upstream%20down\r\n";
    let mut frame = vec![0x80, 0, 0, 0, u8::try_from(trailer.len()).unwrap()];
    frame.extend_from_slice(trailer);
    let body = base64::engine::general_purpose::STANDARD.encode(&frame);
    let text =
        format!("HTTP/1.1 200 OK\r\nContent-Type: application/grpc-web-text+proto\r\n\r\n{body}");
    let report = diagnose(&text, &Options::default()).unwrap();
    let finding = &report.exchanges[0].findings[0];
    assert_eq!(finding.id, "grpc.status");
    assert!(
        finding.title.contains("UNAVAILABLE (14): upstream down"),
        "{}",
        finding.title
    );
}

#[test]
fn a_private_network_preflight_without_the_grant() {
    let text = "> OPTIONS /api/items HTTP/1.1\n> Host: 192.168.1.20:8080\n> Origin: https://app.example.com\n> Access-Control-Request-Method: GET\n> Access-Control-Request-Private-Network: true\n>\n< HTTP/1.1 204 No Content\n< Access-Control-Allow-Origin: https://app.example.com\n< Access-Control-Allow-Methods: GET\n<\n";
    assert!(
        ids(text).contains(&"browser.private-network-blocked"),
        "{:?}",
        ids(text)
    );
    let granted = text.replace(
        "< Access-Control-Allow-Methods: GET\n",
        "< Access-Control-Allow-Methods: GET\n< Access-Control-Allow-Private-Network: true\n",
    );
    assert!(!ids(&granted).contains(&"browser.private-network-blocked"));
}
