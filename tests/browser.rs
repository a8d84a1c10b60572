//! The page of `jixiao serve` in a real browser: Debian's Chromium, headless, driven through
//! WebDriver by Debian's chromedriver (both named by their paths, nothing fetched). A finance
//! officer's day: pick sample 000, see 96.00 and 89.00 and the 投诉降低率 error on its cell,
//! type the sign-off, download the PDF and the xlsx and check them as the other tests do;
//! then a batch: a zip of the samples with a hostile file, and a file that is no workbook.
//!
//! Skipped when Chromium or chromedriver is missing, except under `JIXIAO_REQUIRE_TOOLS=1`
//! (CI, where `.ci/run` installs them). With `JIXIAO_SCREENSHOT=FILE` the first test saves its
//! screenshot of the checked form there (`docs/serve.png` in the README).

mod common;

use std::io::{Cursor, Read as _, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::serve::Server;
use common::{jixiao, repo};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Whether the browser and its driver are installed (a failure under JIXIAO_REQUIRE_TOOLS).
fn browser_installed() -> bool {
    let found = Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file();
    if !found {
        assert!(
            std::env::var_os("JIXIAO_REQUIRE_TOOLS").is_none(),
            "{CHROMIUM} and {CHROMEDRIVER} are required (JIXIAO_REQUIRE_TOOLS is set): \
             apt-get install chromium chromium-driver, see .ci/run"
        );
        eprintln!("skipped: {CHROMIUM} or {CHROMEDRIVER} is not installed (see .ci/run)");
    }
    found
}

/// chromedriver on a port of its own, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        // Owned before waiting, so that a failure below stops it.
        let driver = Driver {
            child,
            url: format!("http://{addr}"),
        };
        let started = Instant::now();
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium session that downloads into `downloads`.
async fn browser(driver: &Driver, profile: &Path, downloads: &Path) -> Client {
    let options = json!({
        "binary": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1360,1700",
        ],
        "prefs": {
            "download.default_directory": downloads.to_string_lossy(),
            "download.prompt_for_download": false,
            "download.directory_upgrade": true,
        },
    });
    let mut capabilities = fantoccini::wd::Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

/// Runs `test` with a server, a browser and a downloads folder; the browser is closed
/// whether the test passes or fails.
fn with_browser<F>(test: impl FnOnce(Client, String, PathBuf) -> F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    let server = Server::start(&[]);
    let driver = Driver::start();
    let dir = tempfile::tempdir().unwrap();
    let (profile, downloads) = (dir.path().join("profile"), dir.path().join("downloads"));
    std::fs::create_dir_all(&downloads).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = browser(&driver, &profile, &downloads).await;
        let outcome = tokio::spawn(test(client.clone(), server.url.clone(), downloads)).await;
        let closed = client.close().await;
        if let Err(failed) = outcome {
            std::panic::resume_unwind(failed.into_panic());
        }
        closed.expect("close the browser");
    });
}

/// Waits for the file `name` to be downloaded into `dir` completely.
async fn downloaded(dir: &Path, name: &str) -> Vec<u8> {
    let path = dir.join(name);
    let started = Instant::now();
    loop {
        let partial = std::fs::read_dir(dir).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".crdownload")
        });
        if path.is_file() && !partial {
            return std::fs::read(&path).unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{name} was not downloaded: {:?}",
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs `script` (a function body) in the page and returns what it returns.
async fn script(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("{e}: {script}"))
}

/// Sends files to the page's file input, as picking them does.
async fn pick(client: &Client, files: &[PathBuf]) {
    let paths: Vec<String> = files
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    client
        .find(Locator::Css("#files"))
        .await
        .unwrap()
        .send_keys(&paths.join("\n"))
        .await
        .unwrap();
}

/// The PDF as the PDF tests check it: fonts embedded as subsets with ToUnicode, the text
/// extractable; returns its text without spaces.
fn check_pdf(dir: &Path, bytes: &[u8]) -> String {
    assert!(bytes.starts_with(b"%PDF-"));
    if !(common::have_tool("pdffonts") && common::have_tool("pdftotext")) {
        return String::new();
    }
    let path = dir.join("check.pdf");
    std::fs::write(&path, bytes).unwrap();
    let path = path.to_string_lossy();
    let listing = common::run_tool("pdffonts", &[&path]);
    let fonts: Vec<&str> = listing.lines().skip(2).collect();
    assert!(!fonts.is_empty(), "{listing}");
    for line in fonts {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert!(
            cols[0]
                .split_once('+')
                .is_some_and(|(tag, _)| tag.len() == 6),
            "{line}"
        );
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "emb sub uni: {line}"
        );
    }
    common::run_tool("pdftotext", &["-raw", &path, "-"])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_form_is_shown_checked_on_its_table_and_downloaded() {
    if !browser_installed() {
        return;
    }
    with_browser(|client, url, downloads| async move {
        client.goto(&url).await.unwrap();
        assert_eq!(client.title().await.unwrap(), "项目支出绩效自评表 · 审核");
        pick(&client, &[repo("samples/000.xlsx")]).await;
        let card = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("article.form-card"))
            .await
            .expect("the checked form");
        let scores = client
            .find(Locator::Css("article.form-card .scores"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(scores.contains("96.00（优）"), "{scores}");
        assert!(scores.contains("89.00（良）"), "{scores}");
        assert!(scores.contains("100.00%"), "{scores}");
        let status = client
            .find(Locator::Css("#status"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(status, "已检查 1 份表：1 份有错误。");

        // The table is the grid: every cell in its row with its spans and lines, as drawn.
        let checked = jixiao::pipeline::load(&repo("samples/000.xlsx"), None)
            .unwrap()
            .remove(0);
        let grid =
            jixiao::layout::build(&checked.report, &checked.layout, &Default::default()).unwrap();
        let cells = script(
            &client,
            "return Array.from(document.querySelectorAll('article.form-card td[data-cell]'), td => \
             [td.dataset.cell, td.parentElement.rowIndex, td.rowSpan, td.colSpan, td.innerText]);",
        )
        .await;
        let cells = cells.as_array().unwrap();
        assert_eq!(cells.len(), grid.cells.len());
        for (cell, td) in grid.cells.iter().zip(cells) {
            let want = json!([
                format!("{},{}", cell.row, cell.col),
                cell.row,
                cell.rows,
                cell.cols,
                cell.lines.join("\n"),
            ]);
            assert_eq!(*td, want);
        }
        // Its width is the grid's (points as CSS pixels: 96/72).
        let width = script(
            &client,
            "return document.querySelector('article.form-card table.jx-table').getBoundingClientRect().width;",
        )
        .await;
        let want: f32 = grid.columns.iter().sum::<f32>() * 96.0 / 72.0;
        assert!(
            (width.as_f64().unwrap() as f32 - want).abs() < 3.0,
            "{width} vs {want}"
        );

        // The sign-off, typed into the page.
        for (field, value) in [
            ("填表人", "张三"),
            ("审核人", "李四"),
            ("date", "2025-03-01"),
        ] {
            client
                .find(Locator::Css(&format!("#signoff input[name=\"{field}\"]")))
                .await
                .unwrap()
                .send_keys(value)
                .await
                .unwrap();
        }
        // The page as the README shows it: from the top to the row of 投诉降低率.
        if let Some(path) = std::env::var_os("JIXIAO_SCREENSHOT") {
            client.set_window_size(1360, 2100).await.unwrap();
            script(
                &client,
                "window.scrollTo(0, 0); document.activeElement.blur(); return 0;",
            )
            .await;
            let png = client.screenshot().await.unwrap();
            std::fs::write(&path, png).unwrap();
        }

        // The error is on 投诉降低率's 得分 cell: coloured, its message on hover.
        let score = script(
            &client,
            r#"const card = document.querySelector('article.form-card');
               const tds = Array.from(card.querySelectorAll('td[data-cell]'));
               const name = tds.find(td => td.innerText === '投诉降低率');
               const row = name.dataset.cell.split(',')[0];
               const header = tds.filter(td => td.innerText === '得分'
                   && Number(td.dataset.cell.split(',')[0]) < Number(row)).pop();
               const cell = card.querySelector(`td[data-cell="${row},${header.dataset.cell.split(',')[1]}"]`);
               const style = getComputedStyle(cell);
               return {cell: cell.dataset.cell, text: cell.innerText, class: cell.className,
                       title: cell.title, outline: style.outlineColor, fill: style.backgroundColor};"#,
        )
        .await;
        assert_eq!(score["text"], "7.00");
        let class = score["class"].as_str().unwrap();
        assert!(
            class.contains("jx-note") && class.contains("jx-error"),
            "{score}"
        );
        let title = score["title"].as_str().unwrap();
        assert!(
            title.starts_with("错误［indicator-overstated］") && title.contains("投诉降低率"),
            "{title}"
        );
        assert_eq!(score["outline"], "rgb(197, 34, 31)", "{score}");
        assert_eq!(score["fill"], "rgb(255, 199, 206)", "{score}");

        // Clicking the finding in the list shows its cell.
        let at = score["cell"].as_str().unwrap().to_string();
        let item = client
            .find(Locator::Css(&format!(
                ".jx-notes li.jx-error[data-cell=\"{at}\"]"
            )))
            .await
            .expect("the finding in the list");
        assert!(item.text().await.unwrap().contains("投诉降低率"));
        // On hover, the rule of its code, from the server's catalogue.
        let hover = item.attr("title").await.unwrap().unwrap_or_default();
        assert!(
            hover.starts_with(jixiao::finding::Code::IndicatorOverstated.rule()),
            "{hover}"
        );
        item.click().await.unwrap();
        let flashed = script(
            &client,
            &format!("return document.querySelector('td[data-cell=\"{at}\"]').classList.contains('jx-flash');"),
        )
        .await;
        assert_eq!(flashed, json!(true));
        // The scores per indicator.
        client
            .find(Locator::Css("details.indicators summary"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let lower = client
            .find(Locator::Css("details.indicators tr.lower"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            lower.contains("投诉降低率") && lower.contains("7.00") && lower.contains("0.00"),
            "{lower}"
        );
        assert!(lower.contains("正向指标"), "{lower}");

        // The PDF: fonts embedded as subsets, the text and the sign-off in it.
        client
            .find(Locator::Css("a[data-file$=\".pdf\"]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let pdf = downloaded(&downloads, "000.pdf").await;
        let text = check_pdf(&downloads, &pdf);
        if !text.is_empty() {
            for expected in [
                "填表人：张三",
                "审核人：李四",
                "填报日期：2025-03-01",
                "投诉降低率",
                "96.00",
            ] {
                assert!(text.contains(expected), "no {expected} in the PDF");
            }
        }
        // The workbook reads back to the form dropped.
        client
            .find(Locator::Css("a[data-file$=\".xlsx\"]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let xlsx = downloaded(&downloads, "000.xlsx").await;
        let dir = common::workdir(&["samples/000.xlsx"]);
        std::fs::write(dir.path().join("back.xlsx"), &xlsx).unwrap();
        let back = jixiao(dir.path(), &["check", "--json", "back.xlsx"]).json();
        let original = jixiao(dir.path(), &["check", "--json", "000.xlsx"]).json();
        assert_eq!(back[0]["form"], original[0]["form"]);
        assert_eq!(back[0]["review"], original[0]["review"]);
        drop(card);
    });
}

/// A zip of the repository files `files`, each under `folder/`.
fn zip_of(folder: &str, files: &[&str]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for f in files {
        let name = Path::new(f).file_name().unwrap().to_string_lossy();
        w.start_file(
            format!("{folder}/{name}"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&std::fs::read(repo(f)).unwrap()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_batch_shows_its_summary_first_and_the_reasons_of_bad_files() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("样例.zip");
    std::fs::write(
        &zip,
        zip_of(
            "样例",
            &[
                "samples/000.xlsx",
                "samples/001.xlsx",
                "samples/000.json",
                "samples/001.json",
                "tests/hostile/zip-bomb.xlsx",
            ],
        ),
    )
    .unwrap();
    // Thirty forms of one department.
    let many = dir.path().join("单位.zip");
    let form = std::fs::read(repo("samples/001.json")).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for k in 0..30 {
        w.start_file(
            format!("单位/{k:02}.json"),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&form).unwrap();
    }
    std::fs::write(&many, w.finish().unwrap().into_inner()).unwrap();
    let bad = dir.path().join("not-a-workbook.xlsx");
    std::fs::copy(repo("tests/fixtures/bad/not-a-workbook.xlsx"), &bad).unwrap();
    let cli = jixiao(dir.path(), &["check", "not-a-workbook.xlsx"]);
    let cli_reason = cli
        .stderr
        .lines()
        .next()
        .unwrap()
        .trim_start_matches("jixiao: ")
        .to_string();
    with_browser(|client, url, downloads| async move {
        client.goto(&url).await.unwrap();
        pick(&client, &[zip, bad]).await;
        client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("#summary-table tbody tr"))
            .await
            .expect("the summary");
        // The summary comes first, with the 汇总表's columns and one row per form.
        let order = script(
            &client,
            "const s = document.querySelector('#summary'), f = document.querySelector('article.form-card');
             return !s.hidden && (s.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;",
        )
        .await;
        assert_eq!(order, json!(true));
        let header = script(
            &client,
            "return Array.from(document.querySelectorAll('#summary-table th'), th => th.innerText);",
        )
        .await;
        let columns: Vec<&str> = jixiao::summary::SummaryColumn::ALL
            .iter()
            .map(|c| c.header())
            .collect();
        assert_eq!(header, json!(columns));
        let rows = script(
            &client,
            "return Array.from(document.querySelectorAll('#summary-table tbody tr'), tr => \
             Array.from(tr.cells, td => td.innerText));",
        )
        .await;
        let rows = rows.as_array().unwrap();
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[0][0], "样例/000.json");
        // Each file that could not be read, with its one-line reason.
        let failures = script(
            &client,
            "return Array.from(document.querySelectorAll('#failure-list li'), li => li.innerText);",
        )
        .await;
        let failures: Vec<&str> = failures
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(failures.len(), 2, "{failures:?}");
        assert!(
            failures[0].contains("样例.zip/样例/zip-bomb.xlsx")
                && failures[0].contains("解压后超过 200 MB"),
            "{failures:?}"
        );
        assert!(
            failures[1].ends_with(&cli_reason),
            "{failures:?} / {cli_reason}"
        );

        // Sortable: by 复核总分, up then down.
        let column = columns.iter().position(|c| *c == "复核总分").unwrap();
        let th = client
            .find(Locator::Css(&format!(
                "#summary-table th[data-col=\"{column}\"]"
            )))
            .await
            .unwrap();
        let totals = |client: Client| async move {
            let v = script(
                &client,
                &format!(
                    "return Array.from(document.querySelectorAll('#summary-table tbody tr'), tr => Number(tr.cells[{column}].innerText));"
                ),
            )
            .await;
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect::<Vec<f64>>()
        };
        th.click().await.unwrap();
        let up = totals(client.clone()).await;
        assert!(up.windows(2).all(|w| w[0] <= w[1]), "{up:?}");
        th.click().await.unwrap();
        let down = totals(client.clone()).await;
        assert!(
            down.windows(2).all(|w| w[0] >= w[1]) && down != up,
            "{down:?}"
        );
        // Each row links to its form.
        let link = client
            .find(Locator::Css("#summary-table tbody tr a"))
            .await
            .unwrap();
        let target = link.attr("href").await.unwrap().unwrap();
        let exists = script(
            &client,
            &format!("return document.querySelector('{target}') !== null;"),
        )
        .await;
        assert_eq!(exists, json!(true), "{target}");

        // Everything at once: every output, 汇总表.xlsx and manifest.json.
        client
            .find(Locator::Css("#zip"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let zip = downloaded(&downloads, "绩效自评表.zip").await;
        let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
        let mut names: Vec<String> = archive
            .file_names()
            .map(|n| n.unwrap().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "manifest.json",
                "样例/000-json.pdf",
                "样例/000-json.xlsx",
                "样例/000-xlsx.pdf",
                "样例/000-xlsx.xlsx",
                "样例/001-json.pdf",
                "样例/001-json.xlsx",
                "样例/001-xlsx.pdf",
                "样例/001-xlsx.xlsx",
                "汇总表.xlsx",
            ]
        );
        let mut manifest = String::new();
        archive
            .by_name("manifest.json")
            .unwrap()
            .read_to_string(&mut manifest)
            .unwrap();
        let manifest: Value = serde_json::from_str(&manifest).unwrap();
        assert_eq!(manifest["failures"].as_array().unwrap().len(), 2);

        // A large batch draws a form's table when it is opened from the summary.
        pick(&client, &[many]).await;
        client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("#summary-table tbody tr:nth-child(30)"))
            .await
            .expect("the summary of the large batch");
        let drawn = script(
            &client,
            "return document.querySelectorAll('table.jx-table').length;",
        )
        .await;
        assert_eq!(drawn, json!(0));
        let link = client
            .find(Locator::Css("#summary-table tbody tr:nth-child(7) a"))
            .await
            .unwrap();
        let target = link.attr("href").await.unwrap().unwrap();
        link.click().await.unwrap();
        // The table is drawn once the click's handler has run: wait for it, not a moment.
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&format!(
                "{target} table.jx-table td[data-cell]"
            )))
            .await
            .expect("the opened form's table");
        let shown = script(
            &client,
            &format!(
                "const card = document.querySelector('{target}');
                 return [card.querySelector('details.table').open,
                         card.querySelectorAll('table.jx-table td[data-cell]').length,
                         document.querySelectorAll('table.jx-table').length];"
            ),
        )
        .await;
        assert_eq!(shown[0], json!(true), "{shown}");
        assert!(shown[1].as_u64().unwrap() > 100, "{shown}");
        assert_eq!(shown[2], json!(1), "{shown}");
    });
}

/// The department-wide form on the page (issue 21): one dropped alone is shown as a
/// department form (its kind, its own header fields, its funds with their breakdowns); a
/// batch of both kinds lists them apart, each kind in its own columns, draws the grades of
/// each kind, and names the department form each project form is listed under.
#[test]
fn department_forms_are_shown_as_department_forms() {
    if !browser_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alone = dir.path().join("gz.xlsx");
    std::fs::copy(
        repo("tests/fixtures/department/gz-suiyang-2021.xlsx"),
        &alone,
    )
    .unwrap();
    let text =
        std::fs::read_to_string(repo("tests/fixtures/department/gz-suiyang-2021.json")).unwrap();
    let mut department: Value = serde_json::from_str::<Value>(&text).unwrap()["form"].clone();
    department["department"] = "北京市文物局".into();
    department["year"] = 2024.into();
    let own = dir.path().join("文物局.json");
    std::fs::write(&own, serde_json::to_vec(&department).unwrap()).unwrap();
    let projects = [dir.path().join("000.json"), dir.path().join("001.xlsx")];
    std::fs::copy(repo("samples/000.json"), &projects[0]).unwrap();
    std::fs::copy(repo("samples/001.xlsx"), &projects[1]).unwrap();
    with_browser(|client, url, _| async move {
        client.goto(&url).await.unwrap();
        pick(&client, std::slice::from_ref(&alone)).await;
        client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("article.form-card[data-kind=\"department\"]"))
            .await
            .expect("the department form");
        let card = script(
            &client,
            "const c = document.querySelector('article.form-card');
             return {
               title: c.querySelector('h2').innerText,
               kind: c.querySelector('.kind').innerText,
               fields: Array.from(c.querySelectorAll('.form-fields div'), d => [d.querySelector('dt').innerText, d.querySelector('dd').innerText]),
               funds: Array.from(c.querySelectorAll('.funds-table tbody tr'), tr => [tr.dataset.part, tr.cells[1].innerText, tr.cells[5].innerText]),
               summary: !document.querySelector('#summary').hidden,
             };",
        )
        .await;
        assert_eq!(card["title"], "绥阳县太白镇人民政府", "{card}");
        assert_eq!(card["kind"], "部门整体支出绩效自评表", "{card}");
        assert_eq!(card["summary"], false, "{card}");
        let fields = card["fields"].as_array().unwrap();
        assert!(
            fields[0][0].as_str().unwrap().contains("部门")
                && fields[0][1] == "绥阳县太白镇人民政府",
            "{card}"
        );
        assert!(
            !fields
                .iter()
                .any(|f| f[0].as_str().unwrap().contains("项目")),
            "{card}"
        );
        // 年度资金总额 and its breakdown by expenditure, each with its rate (the form has no
        // 全年预算数: measured against 年初预算数, as the form's own 执行率).
        let funds = card["funds"].as_array().unwrap();
        let parts: Vec<&str> = funds.iter().map(|f| f[0].as_str().unwrap()).collect();
        assert_eq!(parts, ["total", "expenditure", "expenditure"], "{card}");
        assert_eq!(funds[0][2], "108.20%", "{card}");

        pick(
            &client,
            &[own, alone, projects[0].clone(), projects[1].clone()],
        )
        .await;
        client
            .wait()
            .at_most(Duration::from_secs(60))
            .for_element(Locator::Css("#summary-department tbody tr"))
            .await
            .expect("the summary of both kinds");
        let summary = script(
            &client,
            "const rows = t => Array.from(document.querySelectorAll(t + ' tbody tr'), tr => Array.from(tr.cells, td => td.innerText));
             const heads = t => Array.from(document.querySelectorAll(t + ' th'), th => th.innerText);
             return {
               projects: rows('#summary-table'), project_heads: heads('#summary-table'),
               departments: rows('#summary-department'), department_heads: heads('#summary-department'),
               charts: Array.from(document.querySelectorAll('#grades figure'), f => ({
                 caption: f.querySelector('figcaption').innerText,
                 bars: Array.from(f.querySelectorAll('rect.bar'), r => [r.dataset.series, r.dataset.grade, Number(r.dataset.count)]),
               })),
             };",
        )
        .await;
        let heads: Vec<&str> = jixiao::summary::SummaryColumn::DEPARTMENT
            .iter()
            .map(|c| c.header())
            .collect();
        assert_eq!(summary["department_heads"], json!(heads), "{summary}");
        let departments = summary["departments"].as_array().unwrap();
        let names: Vec<&str> = departments.iter().map(|r| r[1].as_str().unwrap()).collect();
        assert_eq!(names, ["北京市文物局", "绥阳县太白镇人民政府"], "{summary}");
        let projects = summary["projects"].as_array().unwrap();
        assert_eq!(projects.len(), 2, "{summary}");
        let last = summary["project_heads"].as_array().unwrap().last().cloned();
        assert_eq!(last, Some(json!("所属部门整体表")), "{summary}");
        for row in projects {
            assert_eq!(
                row.as_array().unwrap().last().unwrap(),
                "北京市文物局",
                "{summary}"
            );
        }
        // One chart per kind; its bars count every form of the kind once per series.
        let charts = summary["charts"].as_array().unwrap();
        assert_eq!(charts.len(), 2, "{summary}");
        for (chart, (kind, n)) in charts.iter().zip([("项目支出", 2), ("部门整体", 2)]) {
            assert!(
                chart["caption"].as_str().unwrap().contains(kind),
                "{summary}"
            );
            for series in ["自评", "复核"] {
                let counted: u64 = chart["bars"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|b| b[0] == series)
                    .map(|b| b[2].as_u64().unwrap())
                    .sum();
                assert_eq!(counted, n, "{series}: {summary}");
            }
        }
        // Sample 000 reviews from 优 to 良: the reviewed bars say so.
        let bar = |series: &str, grade: &str| {
            charts[0]["bars"]
                .as_array()
                .unwrap()
                .iter()
                .find(|b| b[0] == series && b[1] == grade)
                .map(|b| b[2].as_u64().unwrap())
                .unwrap()
        };
        assert_eq!((bar("自评", "优"), bar("复核", "优")), (2, 1), "{summary}");
    });
}
