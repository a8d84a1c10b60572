//! jixiao (绩效): read, check, score and render 项目支出绩效自评表, the project expenditure
//! performance self-evaluation forms that Chinese budget units file every year.
//!
//! The pipeline, one step per module: [`read`] (files → [`model::Form`]) → [`score`] (the
//! rules → [`score::Review`]) and [`validate`] (→ findings), together a [`report::Report`] →
//! [`layout`] (form + layout → one [`layout::Grid`]) → [`render`] (grid → xlsx and PDF
//! bytes); [`summary`] is the department summary (汇总表) as data, keyed by its columns. Only
//! `read` touches input files ([`date`] reads the clock); the library never prints.
//! [`pipeline`] takes one input through read, review and check the same way for every command;
//! [`text`] shows what comes from a file (names, cell text) in one bounded line.
//! Every finding has a code of one catalogue ([`finding::Code`]: its severity and its rule,
//! listed by `jixiao findings`); [`message`] writes what validation found in Chinese.
//! [`serve`] is the page of `jixiao serve`: an adapter that runs the same calls for files
//! dropped on it and answers with each form drawn by [`render::html`].
//!
//! ```
//! let form = jixiao::read::form_from_json(include_str!("../samples/000.json")).unwrap();
//! let review = jixiao::score::review(&form);
//! assert_eq!(review.total.to_string(), "96.00");
//! assert_eq!(review.reviewed_total.to_string(), "89.00");
//! ```

pub mod batch;
pub mod date;
pub mod derive;
pub mod error;
pub mod field;
pub mod finding;
pub mod fonts;
pub mod layout;
pub mod message;
pub mod model;
pub mod pipeline;
pub mod read;
pub mod render;
pub mod report;
pub mod score;
pub mod serve;
pub mod sign;
pub mod summary;
pub mod text;
pub mod validate;
pub mod vocabulary;

pub use error::{Error, Result};
pub use layout::Layout;
pub use model::{Form, SourcedForm};
pub use report::Report;
