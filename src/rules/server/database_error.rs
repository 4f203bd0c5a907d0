use crate::knowledge::frameworks;
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The body carries an SQL or database driver error: `SQLSTATE[…]`, psycopg's
    /// `UndefinedTable`, `relation "x" does not exist`, MySQL syntax errors, SQLite
    /// `no such table`, Oracle `ORA-`, deadlocks, unique violations, ORM exceptions.
    ServerDatabaseError {
        id: "server.database-error",
        severity: Error,
        title: "A database error",
        reference: Some("https://owasp.org/www-community/Improper_Error_Handling"),
        fixtures: ["flask/500-sqlite.txt"],
        restates: ["server.unhandled-exception"],
        explanation: "The failure happened in the database layer and the error text was passed through to the client, which also reveals schema details.",
        fix: {
            caller: "Report it with the request; a duplicate-key error may mean the object already exists (fetch it instead of creating it).",
            owner: "Run pending migrations, map constraint violations to 409/422, use parameterised queries, and never return driver errors to clients.",
        },
    }
}

impl Rule for ServerDatabaseError {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status < 400 && response.status != 0 {
            return;
        }
        let Some(body) = &response.body else { return };
        let Some((engine, at)) = frameworks::DATABASE_ERRORS
            .first_in(&body.text)
            .map(|(i, at)| (frameworks::DATABASE_ERRORS.label(i), at))
        else {
            return;
        };
        let evidence = cx.body_line_evidence(Side::Response, body, at);
        let kind = {
            let l = evidence.quote.to_ascii_lowercase();
            if l.contains("no such table")
                || l.contains("does not exist")
                || l.contains("undefinedtable")
                || l.contains("42s02")
                || l.contains("ora-00942")
            {
                "a table or column the code expects does not exist: a migration was not run in this environment"
            } else if l.contains("duplicate") || l.contains("unique") {
                "a unique constraint was violated: the record already exists"
            } else if l.contains("deadlock") {
                "a deadlock between concurrent transactions"
            } else if l.contains("syntax") {
                "the SQL is malformed: often input concatenated into a query (a sign of SQL injection risk)"
            } else if l.contains("connect") || l.contains("timeout") || l.contains("refused") {
                "the database could not be reached"
            } else {
                "the database refused the query"
            }
        };
        out.push(self.meta().finding(
            format!("A {engine} error reached the response: {kind}"),
            evidence,
        ));
    }
}
