//! The HTML report as a person sees it, in headless Chromium driven through ChromeDriver (W3C
//! WebDriver over a plain HTTP/1.1 connection on loopback): the top gene's name and probability
//! in the first screen, the evidence bars drawn, the search box working, a printable PDF, no
//! console errors and no network requests; the gene table inside its panel at 1280, 1024 and
//! 390 px (no sideways overflow, no cut cell, no row over 100 px) and the page never wider than
//! the screen (wide tables scroll in their own box); screenshots kept as artifacts.
//!
//! Ignored by default (needs Debian's `chromium` and `chromium-driver`). Run by
//! `scripts/check-report-in-chromium.sh`, which renders the README example with the real CLI and
//! sets ODYSSEY_REPORT_HTML / ODYSSEY_REPORT_JSON (that page is checked against its JSON) and
//! ODYSSEY_ARTIFACTS (where screenshots go; default `target/report-check`). The SYNTHETIC trio
//! report of `tests/common` (variants, family, filters) is checked too.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // the chromedriver this test started, by its handle
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn dechunk(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..i]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&rest[i + 2..i + 2 + size]);
        rest = &rest[i + 2 + size + 2..];
    }
    out
}

impl Driver {
    fn start() -> Driver {
        let exe = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        assert!(
            Path::new(&exe).exists(),
            "{exe} not found: apt-get install -y chromium chromium-driver"
        );
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(&exe)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let d = Driver { child, port };
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(30) {
            if TcpStream::connect(("127.0.0.1", port)).is_ok()
                && d.call("GET", "/status", None).get("ready") == Some(&json!(true))
            {
                return d;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("chromedriver did not start on port {port}");
    }

    /// One WebDriver command; returns its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .unwrap();
        // read the head, then exactly Content-Length bytes (chromedriver may keep the
        // connection open), or up to the last chunk when chunked
        let mut resp = Vec::new();
        let mut buf = [0u8; 65536];
        let split = loop {
            if let Some(i) = resp.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let n = s.read(&mut buf).unwrap();
            assert!(
                n > 0,
                "{method} {path}: connection closed before the response head"
            );
            resp.extend_from_slice(&buf[..n]);
        };
        let head = String::from_utf8_lossy(&resp[..split]).to_ascii_lowercase();
        let length: Option<usize> = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map(|v| v.trim().parse().unwrap());
        let chunked = head.contains("transfer-encoding: chunked");
        loop {
            let have = resp.len() - split - 4;
            let done = match length {
                Some(len) => have >= len,
                None if chunked => resp.ends_with(b"0\r\n\r\n"),
                None => false,
            };
            if done {
                break;
            }
            let n = s.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            resp.extend_from_slice(&buf[..n]);
        }
        let raw = &resp[split + 4..];
        let body = if chunked { dechunk(raw) } else { raw.to_vec() };
        let v: Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}: {}", String::from_utf8_lossy(&body)));
        if let Some(err) = v["value"].get("error") {
            panic!("{method} {path}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }
}

fn b64decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|&c| u32::from(val(c))).collect();
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        out.push((n >> 16) as u8);
        if v.len() > 2 {
            out.push((n >> 8) as u8);
        }
        if v.len() > 3 {
            out.push(n as u8);
        }
    }
    out
}

fn artifacts() -> PathBuf {
    let d = std::env::var("ODYSSEY_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/report-check")
        });
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// What a person sees, read by script from the rendered page.
const LOOK: &str = r#"
const vis = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
const inFirstScreen = el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; };
const first = document.querySelector('tr[data-kind="gene"]');
const card = document.querySelector('article[data-kind="gene-card"]');
const table = card ? card.querySelector('table.evidence') : null;
const bars = table ? [...table.querySelectorAll('rect.bar[data-lr]')] : [];
return {
  title: document.title,
  top_symbol: first ? first.querySelector('td.gene').innerText.trim() : null,
  top_probability: first ? first.querySelector('.ptext').innerText.trim() : null,
  top_row_in_first_screen: first ? (vis(first) && inFirstScreen(first)) : false,
  // a table row laid out as a row: its cells side by side on one line
  top_row_cells_aligned: first ? [...first.cells].every(c => Math.abs(c.getBoundingClientRect().top - first.cells[0].getBoundingClientRect().top) < 2
    && c.getBoundingClientRect().left >= first.cells[0].getBoundingClientRect().left) : false,
  top_row_height: first ? first.getBoundingClientRect().height : 0,
  evidence_rows: table ? table.querySelectorAll('tbody tr').length : 0,
  bars: bars.map(b => ({ term: b.getAttribute('data-term'), lr: parseFloat(b.getAttribute('data-lr')),
    visible: vis(b), width: b.getBoundingClientRect().width, x: b.getBoundingClientRect().x,
    fill: getComputedStyle(b).fill, cls: b.getAttribute('class') })),
  axis_one_x: table ? (() => { const l = table.querySelector('svg.lrbar line.tick0'); return l ? l.getBoundingClientRect().x : null; })() : null,
  resources: performance.getEntriesByType('resource').map(e => e.name),
  scroll_height: document.documentElement.scrollHeight,
};
"#;

/// The gene table against its panel, at the current viewport: how far its right edge passes
/// the panel's content edge, how far the panel scrolls sideways, cells whose content is cut,
/// the tallest row, and the page's own sideways overflow.
const FIT: &str = r#"
const t = document.querySelector('table.genes');
if (!t) { return null; }
const card = t.closest('.panel');
const cr = card.getBoundingClientRect(); const cs = getComputedStyle(card);
const inner = cr.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
let cut = [];
for (const c of t.querySelectorAll('td, th')) {
  if (c.getBoundingClientRect().width > 0 && c.scrollWidth > c.clientWidth + 1) { cut.push(c.innerText.slice(0, 40)); }
}
const rows = [...t.tBodies[0].rows].map(r => r.getBoundingClientRect().height);
const tallest = [...t.tBodies[0].rows].reduce((a, r) => r.getBoundingClientRect().height > a.getBoundingClientRect().height ? r : a);
return {
  viewport: window.innerWidth,
  table_past_panel: t.getBoundingClientRect().right - inner,
  panel_scroll: card.scrollWidth - card.clientWidth,
  cut: cut,
  tallest_row: Math.max(...rows),
  tallest_text: tallest.innerText.replace(/\s+/g, ' ').slice(0, 200),
  page_overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
};
"#;

/// The page's sideways overflow with every `<details>` opened (the removed-variant list, other
/// diseases' evidence, provenance), and the widest elements past the viewport's right edge;
/// the `<details>` are closed again afterwards.
const PAGE_FIT: &str = r#"
const closed = [...document.querySelectorAll('details')].filter(d => !d.open);
closed.forEach(d => { d.open = true; });
const de = document.documentElement;
const right = de.clientWidth;
const past = [...document.querySelectorAll('body *')]
  .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > right + 0.5; })
  .filter(el => !el.closest('.table-scroll, pre'))
  .slice(0, 5)
  .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '')
    + ' ' + Math.round(el.getBoundingClientRect().right - right) + ' px: ' + (el.innerText || '').replace(/\s+/g, ' ').slice(0, 60));
const out = { scroll_width: de.scrollWidth, client_width: right, past: past };
closed.forEach(d => { d.open = false; });
return out;
"#;

/// The gene table fits its panel at common widths (1280 and 1024 px desktop, a 390 px phone):
/// not wider than the panel, no cell's content cut, no row over 100 px; the page never wider
/// than the viewport (`document.documentElement.scrollWidth` ≤ its `clientWidth`, with every
/// `<details>` open); a screenshot of each.
fn check_widths(d: &Driver, s: &dyn Fn(&str) -> String, name: &str, out: &Path) {
    for (w, h) in [(1280, 900), (1024, 768), (390, 844)] {
        d.call(
            "POST",
            &s("/goog/cdp/execute"),
            Some(json!({ "cmd": "Emulation.setDeviceMetricsOverride",
            "params": { "width": w, "height": h, "deviceScaleFactor": 1, "mobile": false } })),
        );
        let fit = d.call(
            "POST",
            &s("/execute/sync"),
            Some(json!({ "script": FIT, "args": [] })),
        );
        eprintln!("[{name}] {w} px: {fit}");
        // the screenshot first, so that a failure can be looked at
        let png = b64decode(d.call("GET", &s("/screenshot"), None).as_str().unwrap());
        std::fs::write(out.join(format!("{name}-{w}.png")), &png).unwrap();
        assert_eq!(fit["viewport"], json!(w), "[{name}] viewport");
        let past = fit["table_past_panel"].as_f64().unwrap();
        assert!(
            past <= 0.5,
            "[{name}] at {w} px the gene table is {past} px wider than its panel"
        );
        assert_eq!(
            fit["panel_scroll"],
            json!(0),
            "[{name}] at {w} px the gene panel scrolls sideways"
        );
        assert_eq!(fit["cut"], json!([]), "[{name}] at {w} px cells are cut");
        let tallest = fit["tallest_row"].as_f64().unwrap();
        assert!(
            tallest <= 100.0,
            "[{name}] at {w} px a gene row is {tallest} px high"
        );
        // the page itself never scrolls sideways: wide tables scroll in their own box
        let page = d.call(
            "POST",
            &s("/execute/sync"),
            Some(json!({ "script": PAGE_FIT, "args": [] })),
        );
        eprintln!("[{name}] {w} px, every <details> open: {page}");
        let (sw, cw) = (
            page["scroll_width"].as_f64().unwrap(),
            page["client_width"].as_f64().unwrap(),
        );
        assert!(
            sw <= cw,
            "[{name}] at {w} px the page scrolls sideways: scrollWidth {sw} > {cw}; past the edge: {}",
            page["past"]
        );
    }
    d.call(
        "POST",
        &s("/goog/cdp/execute"),
        Some(json!({ "cmd": "Emulation.clearDeviceMetricsOverride", "params": {} })),
    );
}

struct Expect {
    name: &'static str,
    symbol: String,
    probability_text: String,
    /// likelihood ratios of the first evidence table, in order
    lrs: Vec<f64>,
    search: Option<(&'static str, &'static str)>,
}

fn probability_text(p: Option<f64>) -> String {
    match p {
        None => "–".into(),
        Some(p) if p < 0.001 => "<0.1%".into(),
        Some(p) if p > 0.999 => ">99.9%".into(),
        Some(p) => format!("{:.1}%", p * 100.0),
    }
}

/// Expected values from the JSON of the same report: the top gene, and the evidence of its
/// first disease that has evidence.
fn expect_from_json(name: &'static str, j: &Value) -> Expect {
    let g = &j["genes"][0];
    let lrs = g["diseases"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|id| {
            j["diseases"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| &d["id"] == id && !d["evidence"].as_array().unwrap().is_empty())
        })
        .map(|d| {
            d["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["lr"].as_f64().unwrap())
                .collect()
        })
        .unwrap_or_default();
    Expect {
        name,
        symbol: g["symbol"].as_str().unwrap().into(),
        probability_text: probability_text(g["post_test_probability"].as_f64()),
        lrs,
        search: None,
    }
}

fn check_page(d: &Driver, html: &Path, exp: &Expect, out: &Path) {
    let user_dir = tempfile::tempdir().unwrap();
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let caps = json!({ "capabilities": { "alwaysMatch": {
        "browserName": "chrome",
        "goog:loggingPrefs": { "browser": "ALL" },
        "goog:chromeOptions": { "binary": chromium, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            format!("--user-data-dir={}", user_dir.path().display()), "--window-size=1440,900", "--hide-scrollbars"
        ] }
    } } });
    let session = d.call("POST", "/session", Some(caps));
    let sid = session["sessionId"].as_str().unwrap().to_string();
    let s = |p: &str| format!("/session/{sid}{p}");
    let url = format!("file://{}", html.canonicalize().unwrap().display());
    d.call("POST", &s("/url"), Some(json!({ "url": url })));
    let look = d.call(
        "POST",
        &s("/execute/sync"),
        Some(json!({ "script": LOOK, "args": [] })),
    );
    eprintln!("[{}] {}", exp.name, serde_json::to_string(&json!({ "title": look["title"], "top_symbol": look["top_symbol"], "top_probability": look["top_probability"], "bars": look["bars"].as_array().map(|b| b.len()) })).unwrap());

    // the top gene and its probability, in the first screen
    assert_eq!(
        look["top_symbol"],
        json!(exp.symbol),
        "[{}] top gene",
        exp.name
    );
    assert_eq!(
        look["top_probability"],
        json!(exp.probability_text),
        "[{}] top probability",
        exp.name
    );
    assert_eq!(
        look["top_row_in_first_screen"],
        json!(true),
        "[{}] the top gene is not in the first screen",
        exp.name
    );
    assert_eq!(
        look["top_row_cells_aligned"],
        json!(true),
        "[{}] the top gene's row is not laid out as a table row",
        exp.name
    );
    assert!(
        look["top_row_height"].as_f64().unwrap() < 100.0,
        "[{}] the top gene's row is {} px high",
        exp.name,
        look["top_row_height"]
    );

    // the evidence bars: one per term, drawn, left of LR 1 when against and right when for
    let bars = look["bars"].as_array().unwrap();
    assert_eq!(
        bars.len(),
        exp.lrs.len(),
        "[{}] one bar per evidence term",
        exp.name
    );
    assert_eq!(
        look["evidence_rows"].as_u64().unwrap() as usize,
        exp.lrs.len()
    );
    let one = look["axis_one_x"].as_f64().unwrap();
    for (b, lr) in bars.iter().zip(&exp.lrs) {
        assert_eq!(b["lr"].as_f64().unwrap(), *lr);
        assert_eq!(
            b["visible"],
            json!(true),
            "[{}] bar not visible: {b}",
            exp.name
        );
        let (x, w) = (b["x"].as_f64().unwrap(), b["width"].as_f64().unwrap());
        assert!(w >= 0.9, "{b}");
        if *lr > 1.0 {
            assert!(
                x >= one - 1.5,
                "[{}] a supporting bar must start at LR 1: {b} (axis at {one})",
                exp.name
            );
        } else if *lr < 1.0 {
            assert!(
                x + w <= one + 1.5,
                "[{}] a contradicting bar must end at LR 1: {b} (axis at {one})",
                exp.name
            );
        }
        let fill = b["fill"].as_str().unwrap();
        let expected_fill = match b["cls"].as_str().unwrap() {
            "bar obs" => "rgb(37, 99, 235)",
            "bar not" => "rgb(220, 38, 38)",
            _ => "url(\"#hatch-exc\")",
        };
        assert_eq!(fill, expected_fill, "[{}] colour of {b}", exp.name);
    }

    // a person can search the filtered variants
    if let Some((query, expected)) = exp.search {
        let el = |css: &str| {
            let v = d.call(
                "POST",
                &s("/element"),
                Some(json!({ "using": "css selector", "value": css })),
            );
            v.as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        };
        let summary = el("#filtered-variants > summary");
        d.call(
            "POST",
            &s(&format!("/element/{summary}/click")),
            Some(json!({})),
        );
        let input = el("#filtered-variants input.search");
        d.call(
            "POST",
            &s(&format!("/element/{input}/value")),
            Some(json!({ "text": query })),
        );
        let count = el("#filtered-count");
        let text = d.call("GET", &s(&format!("/element/{count}/text")), None);
        assert_eq!(text, json!(expected), "[{}] search for {query}", exp.name);
    }

    // nothing fetched: no resource entries (no fonts, scripts, images, styles)
    assert_eq!(
        look["resources"],
        json!([]),
        "[{}] the page loaded resources",
        exp.name
    );

    // screenshots: the first screen, and the whole page through the DevTools protocol
    let png = b64decode(d.call("GET", &s("/screenshot"), None).as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"));
    std::fs::write(out.join(format!("{}.png", exp.name)), &png).unwrap();
    let h = look["scroll_height"].as_f64().unwrap().min(16000.0);
    let full = d.call("POST", &s("/goog/cdp/execute"), Some(json!({ "cmd": "Page.captureScreenshot", "params": {
        "format": "png", "captureBeyondViewport": true, "clip": { "x": 0, "y": 0, "width": 1440, "height": h, "scale": 1 } } })));
    std::fs::write(
        out.join(format!("{}-full.png", exp.name)),
        b64decode(full["data"].as_str().unwrap()),
    )
    .unwrap();

    // printable: Chromium prints it to PDF (A4), with the collapsed sections opened by the page
    let pdf = b64decode(
        d.call(
            "POST",
            &s("/print"),
            Some(json!({ "page": { "width": 21.0, "height": 29.7 } })),
        )
        .as_str()
        .unwrap(),
    );
    assert!(pdf.starts_with(b"%PDF"), "[{}] print", exp.name);
    std::fs::write(out.join(format!("{}.pdf", exp.name)), &pdf).unwrap();

    // console: capture works (a probe message appears), and nothing else was an error
    d.call(
        "POST",
        &s("/execute/sync"),
        Some(json!({ "script": "console.error('odyssey-console-probe'); return 1;", "args": [] })),
    );
    let logs = d.call("POST", &s("/se/log"), Some(json!({ "type": "browser" })));
    let logs = logs.as_array().unwrap();
    assert!(
        logs.iter().any(|l| l["message"]
            .as_str()
            .unwrap_or("")
            .contains("odyssey-console-probe")),
        "[{}] console capture does not work: {logs:?}",
        exp.name
    );
    let errors: Vec<&Value> = logs
        .iter()
        .filter(|l| {
            l["level"] == "SEVERE"
                && !l["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("odyssey-console-probe")
        })
        .collect();
    assert!(
        errors.is_empty(),
        "[{}] console errors: {errors:?}",
        exp.name
    );

    check_widths(d, &s, exp.name, out);

    d.call("DELETE", &s(""), None);
    eprintln!(
        "[{}] ok; screenshots and PDF in {}",
        exp.name,
        out.display()
    );
}

#[test]
#[ignore]
fn report_in_headless_chromium() {
    let out = artifacts();
    let driver = Driver::start();

    // the SYNTHETIC trio: variants, family, filters, a NOT contradiction, the search box
    let r = common::full_report();
    let html = out.join("synthetic-trio.html");
    odyssey_report::write_html(&r, std::fs::File::create(&html).unwrap()).unwrap();
    let mut exp = expect_from_json("synthetic-trio", &serde_json::to_value(&r).unwrap());
    // five removed variants in the fixture; the not_in_proband one is counted, not listed: 4 listed
    exp.search = Some(("FGFR3", "1 of 4 shown"));
    check_page(&driver, &html, &exp, &out);

    // the real report of the README example, against its own JSON
    match (std::env::var("ODYSSEY_REPORT_HTML"), std::env::var("ODYSSEY_REPORT_JSON")) {
        (Ok(h), Ok(j)) => {
            let json: Value = serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
            let exp = expect_from_json("report", &json);
            assert!(!exp.lrs.is_empty(), "the README example's top gene has evidence");
            check_page(&driver, Path::new(&h), &exp, &out);
        }
        _ => eprintln!("ODYSSEY_REPORT_HTML / ODYSSEY_REPORT_JSON not set: only the synthetic report was checked"),
    }
}
