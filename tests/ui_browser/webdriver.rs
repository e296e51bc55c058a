//! A small blocking WebDriver client (W3C WebDriver over HTTP/1.1 and
//! JSON, std only) that drives headless Chromium through chromedriver.
//!
//! The driver is the one `KFP_UI_WEBDRIVER` names (`scripts/browser`
//! starts one), else `/usr/bin/chromedriver` started here on a free port;
//! with neither, [`Browser::start`] gives `None` and the tests say
//! `skipped`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

/// Chromium's flags: headless, as root (no sandbox), and nothing fetched
/// from the network behind the test's back.
const FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// A browser session.
pub struct Browser {
    /// `host:port` of the WebDriver server.
    driver: String,
    session: String,
    /// The chromedriver this client started, if it did.
    child: Option<Child>,
    _profile: tempfile::TempDir,
}

/// An element of the page, by its WebDriver id.
#[derive(Clone, Debug)]
pub struct Element(String);

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

impl Browser {
    /// A session in a window of `width` × `height`, or `None` when there is
    /// no browser to drive.
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        let chromium =
            std::env::var("KFP_UI_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let (driver, child) = match std::env::var("KFP_UI_WEBDRIVER") {
            Ok(url) if !url.is_empty() => (
                url.trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_owned(),
                None,
            ),
            _ => {
                let binary = Path::new("/usr/bin/chromedriver");
                if !binary.exists() || !Path::new(&chromium).exists() {
                    return None;
                }
                let port = TcpListener::bind("127.0.0.1:0")
                    .ok()?
                    .local_addr()
                    .ok()?
                    .port();
                let child = Command::new(binary)
                    .arg(format!("--port={port}"))
                    .arg("--allowed-ips=127.0.0.1")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .ok()?;
                (format!("127.0.0.1:{port}"), Some(child))
            }
        };
        let profile = tempfile::tempdir().expect("a temporary folder");
        let mut args: Vec<String> = FLAGS.iter().map(|s| (*s).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        args.push(format!("--window-size={width},{height}"));
        let mut browser = Browser {
            driver,
            session: String::new(),
            child,
            _profile: profile,
        };
        browser.wait_ready();
        let created = browser.call(
            "POST",
            "/session",
            Some(json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chromium, "args": args}
            }}})),
        );
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_owned();
        Some(browser)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(status) = self.try_call("GET", "/status", None)
                && status["ready"] == true
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the WebDriver server at {} is not ready", self.driver);
    }

    fn try_call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut stream = TcpStream::connect(&self.driver).map_err(|e| e.to_string())?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.driver,
            body.len()
        );
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let body = read_response(&mut stream).map_err(|e| e.to_string())?;
        let json: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let value = json.get("value").cloned().unwrap_or(Value::Null);
        match value.get("error") {
            Some(error) => Err(format!("{error}: {}", value["message"])),
            None => Ok(value),
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.try_call(method, path, body)
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"))
    }

    fn session_call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{path}", self.session), body)
    }

    /// Opens `url`.
    pub fn goto(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({"url": url})));
    }

    /// The elements that match CSS `selector` now.
    pub fn find_all(&self, selector: &str) -> Vec<Element> {
        let found = self.session_call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": selector})),
        );
        found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())))
            .collect()
    }

    /// The first element that matches `selector`, waiting up to 10 s for
    /// one to appear.
    pub fn wait_for(&self, selector: &str) -> Element {
        self.wait_for_long(selector, Duration::from_secs(10))
    }

    /// The first element that matches `selector`, waiting up to `timeout`.
    pub fn wait_for_long(&self, selector: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(first) = self.find_all(selector).into_iter().next() {
                return first;
            }
            assert!(
                Instant::now() < deadline,
                "no `{selector}` in {}",
                self.source()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// An element's visible text.
    pub fn text(&self, element: &Element) -> String {
        self.session_call("GET", &format!("/element/{}/text", element.0), None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// An element's attribute.
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        self.session_call(
            "GET",
            &format!("/element/{}/attribute/{name}", element.0),
            None,
        )
        .as_str()
        .map(str::to_owned)
    }

    /// Whether an element is shown.
    pub fn displayed(&self, element: &Element) -> bool {
        self.session_call("GET", &format!("/element/{}/displayed", element.0), None) == true
    }

    /// Clicks an element.
    pub fn click(&self, element: &Element) {
        self.session_call(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        );
    }

    /// Looks into frame `element` (`None`: back to the page).
    pub fn frame(&self, element: Option<&Element>) {
        match element {
            Some(frame) => self.session_call(
                "POST",
                "/frame",
                Some(json!({"id": {ELEMENT_KEY: frame.0}})),
            ),
            None => self.session_call("POST", "/frame/parent", Some(json!({}))),
        };
    }

    /// Runs `script` (a function body) in the page and gives its result.
    pub fn execute(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The page's title.
    pub fn title(&self) -> String {
        self.session_call("GET", "/title", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page's HTML.
    pub fn source(&self) -> String {
        self.session_call("GET", "/source", None)
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The window as a PNG, written to `path`.
    pub fn screenshot(&self, path: &Path) {
        let encoded = self.session_call("GET", "/screenshot", None);
        write_png(path, encoded.as_str().expect("a screenshot"));
    }
}

/// The body of an HTTP/1.1 response, by its `Content-Length` (the driver
/// may keep the connection open).
fn read_response(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut reader = std::io::BufReader::new(stream);
    let mut length = None;
    loop {
        let mut line = String::new();
        if std::io::BufRead::read_line(&mut reader, &mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            reader.read_exact(&mut body)?;
        }
        None => {
            reader.read_to_end(&mut body)?;
        }
    }
    Ok(body)
}

fn write_png(path: &Path, base64: &str) {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64)
        .expect("base64 from the browser");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(path, bytes).unwrap();
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.try_call("DELETE", &format!("/session/{}", self.session), None);
        }
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Where the screenshots go: `target/ui-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .join("ui-screenshots")
}
