//! `jixiao serve`: a page on this machine where a finance officer drops forms and sees them
//! checked, on the table itself, with the filing-ready downloads.
//!
//! A thin adapter: HTTP in (axum on tokio), the same library calls as `check` and `render`
//! ([`work`]) run off the async threads, JSON and files out. Never prints, never writes a
//! file: uploads are read in memory and dropped once checked; what the downloads need (each
//! form's report) is kept in memory, bounded ([`store`]). Safe by default: the Host of every
//! request must be this machine (no other site can reach it through a name that resolves
//! here), the Origin of a request its own page, the body at most [`MAX_BODY`] bytes and
//! [`work::MAX_FILES`] files; every asset is built into the binary.

pub mod fields;
pub mod store;
pub mod work;

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;

use crate::Layout;
use crate::render::html::escape;
use store::Store;
use work::{Refusal, Upload};

/// The largest request body, in bytes (100 MB): the files of one drop together.
pub const MAX_BODY: usize = 100 * 1024 * 1024;

/// The port `jixiao serve` listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8421;

/// How many uploads (or batch archives) are worked on at once; others wait their turn. Each
/// holds its request body (at most [`MAX_BODY`]) while it waits and works.
const WORKERS: usize = 4;

/// How the server was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// The address it listens on. On a loopback address (the default), requests must name
    /// this machine in their Host; elsewhere (`--bind`), the Host is whatever others call it.
    pub addr: SocketAddr,
}

struct App {
    config: Config,
    store: Store,
    work: Semaphore,
}

type Shared = Arc<App>;

/// Serves the page on `listener` until the process ends.
///
/// # Errors
/// [`crate::Error::Serve`] when the runtime cannot start or the listener fails.
pub fn run(listener: std::net::TcpListener, config: Config) -> crate::Result<()> {
    let serve_error = |source: std::io::Error| crate::Error::Serve { source };
    listener.set_nonblocking(true).map_err(serve_error)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(serve_error)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(serve_error)?;
        axum::serve(listener, router(config))
            .await
            .map_err(serve_error)
    })
}

/// The page and its API, for `config`.
pub fn router(config: Config) -> Router {
    let app = Arc::new(App {
        config,
        store: Store::default(),
        work: Semaphore::new(WORKERS),
    });
    Router::new()
        .route("/", get(index))
        .route(
            "/app.js",
            get(|| asset("text/javascript; charset=utf-8", APP_JS)),
        )
        .route(
            "/app.css",
            get(|| asset("text/css; charset=utf-8", APP_CSS)),
        )
        .route("/fonts/regular.otf", get(|| font(crate::fonts::REGULAR)))
        .route("/fonts/bold.otf", get(|| font(crate::fonts::BOLD)))
        .merge(
            // The one route with a body: its limit is tower-http's, not axum's default.
            Router::new()
                .route("/api/check", post(check))
                .layer(DefaultBodyLimit::disable())
                .layer(RequestBodyLimitLayer::new(MAX_BODY)),
        )
        .route("/api/batch/{id}/{file}", get(download))
        .fallback(|| async { refuse(StatusCode::NOT_FOUND, "没有这个页面") })
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .layer(middleware::map_response(finish))
        .with_state(app)
}

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");

/// A JSON answer `{"error": message}` with `status`.
fn refuse(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn too_large() -> Response {
    refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!(
            "上传的文件合计超过 {} MB：请分批拖入（每次不超过 {} MB、{} 个文件）",
            MAX_BODY / 1024 / 1024,
            MAX_BODY / 1024 / 1024,
            work::MAX_FILES
        ),
    )
}

/// Every answer: the headers that keep the page to itself, and the body limit's refusal (a
/// bare `length limit exceeded`) said in Chinese.
async fn finish(mut response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        response = too_large();
    }
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             font-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; \
             base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// `host[:port]` names this machine as listening on `addr`: `localhost`, `127.0.0.1`,
/// `[::1]` or the address itself, with its port.
fn local_host(host: &str, addr: SocketAddr) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((name, p)) if !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host, Some(80)),
    };
    let name = name.to_ascii_lowercase();
    let itself = match addr.ip() {
        IpAddr::V4(ip) => ip.to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
    };
    (matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]") || name == itself)
        && given == Some(addr.port())
}

/// Refuses a request whose Host is not this machine (when listening on loopback) or whose
/// Origin is not its own page: another site, even through a name that resolves here, never
/// reads or posts to it.
async fn guard(State(app): State<Shared>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if app.config.addr.ip().is_loopback() && !local_host(host, app.config.addr) {
        return refuse(
            StatusCode::FORBIDDEN,
            "只接受本机的访问：请打开 jixiao serve 显示的地址",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|o| o.eq_ignore_ascii_case(host));
        if !own {
            return refuse(StatusCode::FORBIDDEN, "只接受本页面发出的请求");
        }
    }
    next.run(request).await
}

/// The value of the 表样 choice 与原表相同: each form in the layout of its own workbook.
const SOURCE_LAYOUT: &str = "source";

/// The page, with the built-in layouts and the limits filled in.
async fn index() -> Response {
    static PAGE: OnceLock<String> = OnceLock::new();
    let page = PAGE.get_or_init(|| {
        let mut options = String::new();
        for layout in Layout::builtin() {
            options.push_str("<option value=\"");
            options.push_str(&escape(&layout.name));
            options.push_str("\">");
            options.push_str(&escape(&layout.name));
            options.push('（');
            options.push_str(&escape(&layout.description));
            options.push_str("）</option>");
        }
        options.push_str("<option value=\"");
        options.push_str(SOURCE_LAYOUT);
        options.push_str("\">与原表相同（按上传表格自身的表样输出）</option>");
        INDEX_HTML
            .replace("{{LAYOUTS}}", &options)
            .replace("{{MAX_BYTES}}", &MAX_BODY.to_string())
            .replace("{{MAX_FILES}}", &work::MAX_FILES.to_string())
            .replace("{{MAX_MB}}", &(MAX_BODY / 1024 / 1024).to_string())
            .replace("{{VERSION}}", env!("CARGO_PKG_VERSION"))
    });
    asset("text/html; charset=utf-8", page.as_str()).await
}

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn font(bytes: &'static [u8]) -> Response {
    (
        [
            (header::CONTENT_TYPE, "font/otf"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        bytes,
    )
        .into_response()
}

/// Reads the files (and the chosen layout) of an upload, in memory.
async fn uploads(mut multipart: Multipart) -> Result<(Vec<Upload>, String), Response> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            refuse(
                StatusCode::BAD_REQUEST,
                "上传的数据格式有误（不完整，或文件名含控制字符）：请检查后重试",
            )
        }
    };
    let mut files = Vec::new();
    let mut layout = String::new();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if let Some(name) = field.file_name() {
            if files.len() == work::MAX_FILES {
                return Err(refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &Refusal::TooManyFiles.to_string(),
                ));
            }
            let name = name.to_string();
            let bytes = field.bytes().await.map_err(unreadable)?;
            files.push(Upload {
                name,
                bytes: bytes.into(),
            });
        } else if field.name() == Some("layout") {
            layout = field.text().await.map_err(unreadable)?;
        }
    }
    Ok((files, layout))
}

/// `POST /api/check`: the files of a drop, checked; the page's view of them.
async fn check(
    State(app): State<Shared>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let Ok(multipart) = multipart else {
        return refuse(StatusCode::BAD_REQUEST, "请以 multipart/form-data 上传文件");
    };
    // The permit is taken before the body is read, so that the bodies held in memory at once
    // are bounded by the permits (each at most MAX_BODY), not by the connections.
    let Ok(_permit) = app.work.acquire().await else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "服务正在停止");
    };
    let (files, layout) = match uploads(multipart).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let layout = match layout.trim() {
        "" => crate::pipeline::Choice::Year,
        SOURCE_LAYOUT => crate::pipeline::Choice::Source,
        name => match Layout::by_name(name) {
            Some(layout) => crate::pipeline::Choice::Given(layout),
            None => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    &Refusal::UnknownLayout(crate::text::one_line(name, 40)).to_string(),
                );
            }
        },
    };
    let app = app.clone();
    // The answer, or the refusal's status and message (a Response is too large to carry).
    let done = tokio::task::spawn_blocking(move || -> Result<String, (StatusCode, String)> {
        let answer = work::check(&files, layout).map_err(|r| (r.status(), r.to_string()))?;
        drop(files);
        let (id, batch) = app.store.insert(answer.batch);
        let view = work::view(&id, &batch, answer.tables);
        serde_json::to_string(&view)
            .map_err(|_| (StatusCode::INTERNAL_SERVER_ERROR, INTERNAL.to_string()))
    })
    .await;
    match done {
        Ok(Ok(json)) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            json,
        )
            .into_response(),
        Ok(Err((status, message))) => refuse(status, &message),
        Err(_) => internal(),
    }
}

fn refusal_response(refusal: &Refusal) -> Response {
    refuse(refusal.status(), &refusal.to_string())
}

/// What a bug (a panic) answers.
const INTERNAL: &str = "内部错误：请将所拖入的文件报告给开发者";

fn internal() -> Response {
    refuse(StatusCode::INTERNAL_SERVER_ERROR, INTERNAL)
}

/// `Content-Disposition` for a download named `name`: the name as UTF-8 (RFC 5987), and an
/// ASCII stand-in for old clients.
fn disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

/// `GET /api/batch/{id}/{k}.xlsx|{k}.pdf|all.zip`: a form's filing-ready workbook or PDF,
/// or the whole batch, with the sign-off typed into the page (`?填表人=…&date=…`).
async fn download(
    State(app): State<Shared>,
    Path((id, file)): Path<(String, String)>,
    query: Result<Query<BTreeMap<String, String>>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return refuse(StatusCode::BAD_REQUEST, "下载地址的参数有误");
    };
    let Some(batch) = app.store.get(&id) else {
        return refuse(
            StatusCode::NOT_FOUND,
            "这批表格已不在服务中（超过 2 小时未用，或服务已重启）：请重新拖入文件",
        );
    };
    let options = match work::options(&query, &work::roles(&batch)) {
        Ok(options) => options,
        Err(refusal) => return refusal_response(&refusal),
    };
    let (stem, ext) = file.rsplit_once('.').unwrap_or((&file, ""));
    let content_type = match ext {
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf" => "application/pdf",
        "zip" if stem == "all" => "application/zip",
        _ => return refuse(StatusCode::NOT_FOUND, "没有这个文件"),
    };
    let Ok(_permit) = app.work.acquire().await else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "服务正在停止");
    };
    let ext = ext.to_string();
    let form = stem.parse::<usize>().ok();
    let done = tokio::task::spawn_blocking(move || -> Option<crate::Result<(String, Vec<u8>)>> {
        if ext == "zip" {
            let bytes = work::batch_zip(&batch, &options);
            return Some(bytes.map(|b| ("绩效自评表.zip".to_string(), b)));
        }
        work::form_file(&batch, form?, &ext, &options)
    })
    .await;
    match done {
        Ok(Some(Ok((name, bytes)))) => {
            let mut response = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, disposition(&name));
            response
        }
        Ok(None) => refuse(StatusCode::NOT_FOUND, "没有这份表"),
        Ok(Some(Err(e))) => refuse(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(_) => internal(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_a_host() {
        let at = |addr: &str| addr.parse::<SocketAddr>().unwrap();
        let default = at("127.0.0.1:8421");
        for host in [
            "127.0.0.1:8421",
            "localhost:8421",
            "LOCALHOST:8421",
            "[::1]:8421",
        ] {
            assert!(local_host(host, default), "{host}");
        }
        for host in [
            "127.0.0.1:8422",
            "evil.example:8421",
            "127.0.0.1.evil.example:8421",
            "localhost",
            "",
            "[::1]",
        ] {
            assert!(!local_host(host, default), "{host}");
        }
        assert!(local_host("localhost", at("127.0.0.1:80")));
        // Another loopback address is named by itself too.
        assert!(local_host("127.0.0.2:8421", at("127.0.0.2:8421")));
        assert!(local_host("[::1]:8421", at("[::1]:8421")));
        assert!(!local_host("127.0.0.2:8421", default));
    }

    #[test]
    fn download_names_are_utf8_with_an_ascii_stand_in() {
        let v = disposition("000 表\".pdf");
        assert_eq!(
            v.to_str().unwrap(),
            "attachment; filename=\"000___.pdf\"; filename*=UTF-8''000%20%E8%A1%A8%22.pdf"
        );
    }
}
