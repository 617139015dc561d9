//! The HTML of the login pages: one small self-contained document (no scripts, no external
//! resources), every interpolated text escaped.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// What a login form posts, and where.
pub struct Form<'a> {
    /// The path the form posts to.
    pub action: &'a str,
    /// Hidden fields (name, value).
    pub hidden: &'a [(&'a str, &'a str)],
    /// The login name to fill in again after a failure.
    pub login: &'a str,
    /// A field for the app password's name, with this value (the manual page).
    pub name: Option<&'a str>,
}

/// The sign-in page: who asks for access, a warning, the form, and an error if there was one.
pub fn sign_in(status: StatusCode, client: &str, form: &Form<'_>, error: Option<&str>) -> Response {
    let mut body = format!(
        "<h1>Connect {client}</h1>\
         <p>Sign in to give <strong>{client}</strong> access to your passwords. It gets an \
         app password of its own, which the administrator of this server can revoke \
         (<code>passwords account token revoke</code>).</p>\
         <p class=\"warn\">Only continue if you started this yourself, in that app.</p>",
        client = escape(client)
    );
    if let Some(error) = error {
        body.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>",
            escape(error)
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\">",
        escape(form.action)
    ));
    for (name, value) in form.hidden {
        body.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        ));
    }
    body.push_str(&format!(
        "<label>Username <input name=\"user\" autocomplete=\"username\" autocapitalize=\"none\" \
         required value=\"{}\"></label>\
         <label>Password <input name=\"password\" type=\"password\" \
         autocomplete=\"current-password\" required></label>",
        escape(form.login)
    ));
    if let Some(name) = form.name {
        body.push_str(&format!(
            "<label>Name of the app or device <input name=\"name\" required maxlength=\"256\" \
             value=\"{}\"></label>",
            escape(name)
        ));
    }
    body.push_str("<button type=\"submit\">Grant access</button></form>");
    document(status, "Connect an app", &body)
}

/// The manual page's answer: a new app password, shown this once.
pub fn app_password(server: &str, uid: &str, name: &str, token: &str) -> Response {
    let body = format!(
        "<h1>App password for {name}</h1>\
         <p>Enter these in the app. The app password is shown only now; the administrator of \
         this server can revoke it (<code>passwords account token revoke</code>).</p>\
         <dl><dt>Server</dt><dd><code>{server}</code></dd>\
         <dt>Username</dt><dd><code>{uid}</code></dd>\
         <dt>App password</dt><dd><code class=\"secret\">{token}</code></dd></dl>",
        name = escape(name),
        server = escape(server),
        uid = escape(uid),
        token = escape(token),
    );
    document(StatusCode::OK, "App password", &body)
}

/// The sign-in page again after a wrong username or password (403), the username kept.
pub fn wrong_password(client: &str, form: &Form<'_>) -> Response {
    sign_in(
        StatusCode::FORBIDDEN,
        client,
        form,
        Some("Wrong username or password."),
    )
}

/// A page with a heading and one sentence.
pub fn message(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!("<h1>{}</h1><p>{}</p>", escape(title), escape(text));
    document(status, title, &body)
}

fn document(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} – Passwords</title><style>{STYLE}</style></head>\
         <body><main>{body}</main></body></html>",
        escape(title)
    );
    let mut r = (status, html).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // No scripts, no frames (clickjacking), forms only to this server; the v1 flow's answer
    // is a redirect to the app's `nc:` address.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' nc:; \
             frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}\
main{max-width:26rem;margin:3rem auto;padding:1.5rem;background:#fff;border-radius:8px}\
h1{font-size:1.3rem}label{display:block;margin:.8rem 0}\
input{display:block;width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}\
button{padding:.6rem 1rem;font-size:1rem}dd{margin:0 0 .8rem}\
code.secret{font-size:1.2rem;user-select:all}.warn{color:#8a5a00}.error{color:#b00020}";

/// HTML text and attribute escaping.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_interpolated_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
