//! What a page's content stream draws, as far as a table needs it: the graphics state (the
//! transformation, the colours and their opacity, the text state), the paths stroked or filled
//! — kept when they are straight ruling lines — and the glyphs shown, with their text and box.
//! Form XObjects and annotations' appearances are drawn inside; images are only counted; what
//! an optional content group switched off by default holds (a layer the viewer hides) is not
//! drawn.
//!
//! # Why our own interpreter
//! Reading needs text, positions and lines, never pixels. `hayro-interpret` (a whole renderer's
//! interpreter) brought font programs (`skrifa`, `read-fonts`), colour management (`moxcms`),
//! geometry (`kurbo`) and image decoders (JPEG, JPEG 2000, JBIG2, CCITT) into every build: 105 s
//! of the 456 s of compile units of a cold `cargo build --release` (2026-12-07, `--timings`), a
//! quarter of it. This module and [`super::font`] do what reading needs of it on
//! `hayro-syntax`'s parser and typed operators and `hayro-cmap`'s CMaps.

use std::collections::HashSet;
use std::rc::Rc;

use hayro_syntax::content::TypedIter;
use hayro_syntax::content::ops::TypedInstruction as Op;
use hayro_syntax::object::{Array, Dict, Name, Number, Object, ObjectIdentifier, Rect, Stream};
use hayro_syntax::page::{Page, Resources};

use super::font::{Font, Fonts};
use super::marks::{Glyph, Marks, Rule, assumed_advance};
use super::radicals;
use crate::read::limits::MAX_MARKS;

/// A ruling line is at most this thick (points): a filled rectangle thinner than this in one
/// direction is a line, a thicker one is a shaded area.
const MAX_RULE: f64 = 2.5;

/// The most operators one page may run, its forms' included, each 16 bytes of a form's
/// content counted as one more (a form drawn by a form drawn … thousands of times is a bomb,
/// not a table).
const MAX_OPERATORS: usize = 5_000_000;

/// How deep forms may draw forms.
const MAX_FORM_DEPTH: usize = 16;

/// How deep `q` may save the state.
const MAX_SAVED: usize = 1024;

/// An affine transformation `[a b c d e f]`: `x' = a·x + c·y + e`, `y' = b·x + d·y + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine(pub [f64; 6]);

impl Affine {
    pub const IDENTITY: Affine = Affine([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// `self` after `other`: applying the result is applying `other`, then `self`.
    pub fn then_after(self, other: Affine) -> Affine {
        let [a, b, c, d, e, f] = self.0;
        let [g, h, i, j, k, l] = other.0;
        Affine([
            a * g + c * h,
            b * g + d * h,
            a * i + c * j,
            b * i + d * j,
            a * k + c * l + e,
            b * k + d * l + f,
        ])
    }

    fn translate(x: f64, y: f64) -> Affine {
        Affine([1.0, 0.0, 0.0, 1.0, x, y])
    }

    pub fn apply(self, (x, y): (f64, f64)) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

/// The colour space of a paint, as far as telling white from ink needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// Separation and DeviceN: a tint of 0 puts no ink down.
    Tint,
    /// Indexed, Lab, patterns: taken as ink.
    Other,
}

/// A fill or stroke paint: is it white (or nearly transparent) on white paper?
#[derive(Debug, Clone, Copy)]
struct Paint {
    space: Space,
    white: bool,
    alpha: f64,
}

impl Paint {
    const BLACK: Paint = Paint {
        space: Space::Gray,
        white: false,
        alpha: 1.0,
    };

    fn shows_nothing(self) -> bool {
        self.white || self.alpha < 0.1
    }

    fn set(&mut self, components: &[f64]) {
        let all = |f: fn(f64) -> bool| !components.is_empty() && components.iter().all(|c| f(*c));
        self.white = match self.space {
            Space::Gray | Space::Rgb => all(|c| c > 0.95),
            Space::Cmyk | Space::Tint => all(|c| c < 0.05),
            Space::Other => false,
        };
    }
}

/// The text state (part of the graphics state, saved by `q`).
#[derive(Debug, Clone)]
struct Text {
    font: Option<Rc<Font>>,
    size: f64,
    char_space: f64,
    word_space: f64,
    /// `Tz` / 100.
    scale: f64,
    leading: f64,
    rise: f64,
}

#[derive(Debug, Clone)]
struct State {
    ctm: Affine,
    fill: Paint,
    stroke: Paint,
    text: Text,
}

/// A path element in user space.
#[derive(Debug, Clone, Copy)]
enum El {
    Move((f64, f64)),
    Line((f64, f64)),
    /// A curve: its control points and its end (the box of a curve is within them).
    Curve([(f64, f64); 3]),
    Close,
}

/// Draws one page into its marks; `hidden` are the optional content groups off by default.
pub fn page(page: &Page<'_>, fonts: &mut Fonts, hidden: &HashSet<ObjectIdentifier>) -> Marks {
    let initial = Affine(page.initial_transform(true).as_coeffs());
    let mut painter = Painter::new(fonts, initial, hidden);
    let resources = page.resources();
    painter.run(page.typed_operations(), resources);
    if let Some(annotations) = page.raw().get::<Array<'_>>(b"Annots") {
        for annotation in annotations.iter::<Dict<'_>>() {
            painter.annotation(&annotation, resources);
        }
    }
    painter.marks
}

struct Painter<'f> {
    marks: Marks,
    fonts: &'f mut Fonts,
    hidden: &'f HashSet<ObjectIdentifier>,
    /// For each marked-content sequence open: is what it holds shown?
    shown: Vec<bool>,
    state: State,
    saved: Vec<State>,
    path: Vec<El>,
    /// The text matrix and the text line matrix.
    tm: Affine,
    tlm: Affine,
    operators: usize,
    /// The forms being drawn, outermost first.
    forms: Vec<ObjectIdentifier>,
    /// How many saved states belong to the streams that called the one running: its `Q`s
    /// cannot restore them.
    floor: usize,
}

fn num(n: &Number) -> f64 {
    n.as_f64()
}

/// The six operands of `cm` or `Tm`.
fn affine(operands: [&Number; 6]) -> Affine {
    Affine(operands.map(num))
}

impl<'f> Painter<'f> {
    fn new(fonts: &'f mut Fonts, initial: Affine, hidden: &'f HashSet<ObjectIdentifier>) -> Self {
        Painter {
            marks: Marks::default(),
            fonts,
            hidden,
            shown: Vec::new(),
            state: State {
                ctm: initial,
                fill: Paint::BLACK,
                stroke: Paint::BLACK,
                text: Text {
                    font: None,
                    size: 1.0,
                    char_space: 0.0,
                    word_space: 0.0,
                    scale: 1.0,
                    leading: 0.0,
                    rise: 0.0,
                },
            },
            saved: Vec::new(),
            path: Vec::new(),
            tm: Affine::IDENTITY,
            tlm: Affine::IDENTITY,
            operators: 0,
            forms: Vec::new(),
            floor: 0,
        }
    }

    /// True once the page has drawn more than reading takes (the marks say so).
    fn full(&mut self) -> bool {
        let full = self.marks.glyphs.len() + self.marks.rules.len() >= MAX_MARKS
            || self.operators >= MAX_OPERATORS;
        self.marks.overflow |= full;
        full
    }

    /// Runs a content stream against `resources`; the state it leaves is restored.
    fn run(&mut self, mut ops: TypedIter<'_>, resources: &Resources<'_>) {
        let depth = self.saved.len();
        self.save();
        let floor = std::mem::replace(&mut self.floor, self.saved.len());
        // A stream is only run where content is shown; its marked content is its own, so
        // that an `EMC` too many or too few cannot hide or show what follows it.
        let shown = std::mem::take(&mut self.shown);
        while let Some(op) = ops.next() {
            self.operators += 1;
            if self.full() {
                break;
            }
            if !self.graphics(&op, resources) && !self.path_op(&op) {
                self.text_op(&op, resources);
            }
        }
        self.floor = floor;
        self.shown = shown;
        while self.saved.len() > depth {
            self.restore();
        }
    }

    fn save(&mut self) {
        if self.saved.len() < MAX_SAVED {
            self.saved.push(self.state.clone());
        }
    }

    fn restore(&mut self) {
        if self.saved.len() > self.floor
            && let Some(state) = self.saved.pop()
        {
            self.state = state;
        }
    }

    /// The graphics state, colours, XObjects and images; false for another operator.
    fn graphics(&mut self, op: &Op<'_, '_>, resources: &Resources<'_>) -> bool {
        match op {
            Op::SaveState(_) => self.save(),
            Op::RestoreState(_) => self.restore(),
            Op::Transform(t) => {
                let m = affine([&t.0, &t.1, &t.2, &t.3, &t.4, &t.5]);
                self.state.ctm = self.state.ctm.then_after(m);
            }
            Op::SetGraphicsState(name) => {
                if let Some(gs) = resources.get_ext_g_state(name.0) {
                    if let Some(a) = gs.get::<f64>(b"CA") {
                        self.state.stroke.alpha = a;
                    }
                    if let Some(a) = gs.get::<f64>(b"ca") {
                        self.state.fill.alpha = a;
                    }
                }
            }
            Op::ColorSpaceStroke(name) => self.state.stroke.space_named(name.0, resources),
            Op::ColorSpaceNonStroke(name) => self.state.fill.space_named(name.0, resources),
            Op::StrokeColor(c) => self.state.stroke.set(&nums(&c.0)),
            Op::NonStrokeColor(c) => self.state.fill.set(&nums(&c.0)),
            Op::StrokeColorNamed(c) => self.state.stroke.named(&nums(&c.0), c.1.is_some()),
            Op::NonStrokeColorNamed(c) => self.state.fill.named(&nums(&c.0), c.1.is_some()),
            Op::StrokeColorDeviceGray(c) => self.state.stroke.device(Space::Gray, &[num(&c.0)]),
            Op::NonStrokeColorDeviceGray(c) => self.state.fill.device(Space::Gray, &[num(&c.0)]),
            Op::StrokeColorDeviceRgb(c) => {
                self.state
                    .stroke
                    .device(Space::Rgb, &[num(&c.0), num(&c.1), num(&c.2)]);
            }
            Op::NonStrokeColorDeviceRgb(c) => {
                self.state
                    .fill
                    .device(Space::Rgb, &[num(&c.0), num(&c.1), num(&c.2)]);
            }
            Op::StrokeColorCmyk(c) => {
                let k = [num(&c.0), num(&c.1), num(&c.2), num(&c.3)];
                self.state.stroke.device(Space::Cmyk, &k);
            }
            Op::NonStrokeColorCmyk(c) => {
                let k = [num(&c.0), num(&c.1), num(&c.2), num(&c.3)];
                self.state.fill.device(Space::Cmyk, &k);
            }
            Op::XObject(name) => {
                if let Some(stream) = resources.get_x_object(name.0) {
                    self.x_object(&stream, resources, Affine::IDENTITY);
                }
            }
            Op::InlineImage(_) => {
                if self.visible() {
                    self.marks.images += 1;
                }
            }
            Op::BeginMarkedContent(_) => self.shown.push(self.visible()),
            Op::BeginMarkedContentWithProperties(m) => {
                let on = m.0.as_ref() != b"OC" || self.content_on(m.1, resources);
                self.shown.push(self.visible() && on);
            }
            Op::EndMarkedContent(_) => {
                self.shown.pop();
            }
            _ => return false,
        }
        true
    }

    /// True unless inside optional content that is off.
    fn visible(&self) -> bool {
        self.shown.last().copied().unwrap_or(true)
    }

    /// Whether optional content — an OCG, or a membership dictionary over several — is on:
    /// `properties` is the dictionary or its name in the resources' `/Properties`.
    fn content_on(&self, properties: &Object<'_>, resources: &Resources<'_>) -> bool {
        let dict = match properties {
            Object::Name(name) => resources.properties.get::<Dict<'_>>(name.as_ref()),
            Object::Dict(dict) => Some(dict.clone()),
            _ => None,
        };
        dict.is_none_or(|d| self.dict_on(&d))
    }

    fn dict_on(&self, dict: &Dict<'_>) -> bool {
        if dict.get::<Name<'_>>(b"Type").as_deref() != Some(b"OCMD".as_slice()) {
            return dict.obj_id().is_none_or(|id| !self.hidden.contains(&id));
        }
        let groups: Vec<bool> = match dict.get::<Object<'_>>(b"OCGs") {
            Some(Object::Dict(group)) => vec![self.dict_on(&group)],
            Some(Object::Array(groups)) => groups
                .raw_iter()
                .filter_map(|g| g.as_obj_ref())
                .map(|r| !self.hidden.contains(&r.into()))
                .collect(),
            _ => return true,
        };
        match dict.get::<Name<'_>>(b"P").as_deref() {
            Some(b"AllOn") => groups.iter().all(|on| *on),
            Some(b"AnyOff") => groups.iter().any(|on| !on),
            Some(b"AllOff") => groups.iter().all(|on| !on),
            _ => groups.is_empty() || groups.iter().any(|on| *on),
        }
    }

    /// An image is counted; a form is drawn (`extra` before its own matrix).
    fn x_object(&mut self, stream: &Stream<'_>, resources: &Resources<'_>, extra: Affine) {
        let dict = stream.dict();
        if !self.visible()
            || dict
                .get::<Dict<'_>>(b"OC")
                .is_some_and(|oc| !self.dict_on(&oc))
        {
            return;
        }
        match dict.get::<Name<'_>>(b"Subtype").as_deref() {
            Some(b"Image") => self.marks.images += 1,
            Some(b"Form") => {
                let id = stream.obj_id();
                if self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(&id) {
                    return;
                }
                let Ok(data) = stream.decoded_data() else {
                    return;
                };
                // Inflating a form is work too: a large form drawn many times is a bomb.
                self.operators += data.len() / 16;
                let matrix = matrix(dict).unwrap_or(Affine::IDENTITY);
                let own = dict.get::<Dict<'_>>(b"Resources").map(Resources::new);
                let saved_ctm = self.state.ctm;
                self.state.ctm = self.state.ctm.then_after(extra).then_after(matrix);
                let (tm, tlm) = (self.tm, self.tlm);
                self.forms.push(id);
                self.run(TypedIter::new(&data), own.as_ref().unwrap_or(resources));
                self.forms.pop();
                (self.tm, self.tlm) = (tm, tlm);
                self.state.ctm = saved_ctm;
            }
            _ => {}
        }
    }

    /// An annotation's normal appearance, fitted to its rectangle (PDF 32000-1 12.5.5).
    fn annotation(&mut self, annotation: &Dict<'_>, resources: &Resources<'_>) {
        const HIDDEN: u32 = 1 << 1;
        const NO_VIEW: u32 = 1 << 5;
        if annotation.get::<u32>(b"F").unwrap_or(0) & (HIDDEN | NO_VIEW) != 0 {
            return;
        }
        let Some(appearance) = annotation.get::<Dict<'_>>(b"AP") else {
            return;
        };
        let stream = match appearance.get::<Object<'_>>(b"N") {
            Some(Object::Stream(s)) => s,
            Some(Object::Dict(states)) => {
                match annotation
                    .get::<Name<'_>>(b"AS")
                    .and_then(|s| states.get::<Stream<'_>>(&*s))
                {
                    Some(s) => s,
                    None => return,
                }
            }
            _ => return,
        };
        let (Some(rect), Some(bbox)) = (
            annotation.get::<Rect>(b"Rect"),
            stream.dict().get::<Rect>(b"BBox"),
        ) else {
            return;
        };
        let m = matrix(stream.dict()).unwrap_or(Affine::IDENTITY);
        let corners = [
            (bbox.x0, bbox.y0),
            (bbox.x1, bbox.y0),
            (bbox.x0, bbox.y1),
            (bbox.x1, bbox.y1),
        ]
        .map(|p| m.apply(p));
        let (x0, x1, y0, y1) = bounds(&corners);
        let (rx0, rx1) = (rect.x0.min(rect.x1), rect.x0.max(rect.x1));
        let (ry0, ry1) = (rect.y0.min(rect.y1), rect.y0.max(rect.y1));
        if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
            return;
        }
        let (sx, sy) = ((rx1 - rx0) / (x1 - x0), (ry1 - ry0) / (y1 - y0));
        let fit = Affine([sx, 0.0, 0.0, sy, rx0 - sx * x0, ry0 - sy * y0]);
        self.x_object(&stream, resources, fit);
    }

    /// Path construction and painting; false for another operator.
    fn path_op(&mut self, op: &Op<'_, '_>) -> bool {
        match op {
            Op::MoveTo(m) => self.path.push(El::Move((num(&m.0), num(&m.1)))),
            Op::LineTo(l) => self.path.push(El::Line((num(&l.0), num(&l.1)))),
            Op::CubicTo(c) => self.path.push(El::Curve([
                (num(&c.0), num(&c.1)),
                (num(&c.2), num(&c.3)),
                (num(&c.4), num(&c.5)),
            ])),
            Op::CubicStartTo(c) => self.path.push(El::Curve([
                (num(&c.0), num(&c.1)),
                (num(&c.0), num(&c.1)),
                (num(&c.2), num(&c.3)),
            ])),
            Op::CubicEndTo(c) => self.path.push(El::Curve([
                (num(&c.0), num(&c.1)),
                (num(&c.2), num(&c.3)),
                (num(&c.2), num(&c.3)),
            ])),
            Op::ClosePath(_) => self.path.push(El::Close),
            Op::RectPath(r) => {
                let (x, y, w, h) = (num(&r.0), num(&r.1), num(&r.2), num(&r.3));
                self.path.extend([
                    El::Move((x, y)),
                    El::Line((x + w, y)),
                    El::Line((x + w, y + h)),
                    El::Line((x, y + h)),
                    El::Close,
                ]);
            }
            Op::StrokePath(_) => self.paint(false, true),
            Op::CloseAndStrokePath(_) => {
                self.path.push(El::Close);
                self.paint(false, true);
            }
            Op::FillPathNonZero(_)
            | Op::FillPathNonZeroCompatibility(_)
            | Op::FillPathEvenOdd(_) => {
                self.paint(true, false);
            }
            Op::FillAndStrokeNonZero(_) | Op::FillAndStrokeEvenOdd(_) => self.paint(true, true),
            Op::CloseFillAndStrokeNonZero(_) | Op::CloseFillAndStrokeEvenOdd(_) => {
                self.path.push(El::Close);
                self.paint(true, true);
            }
            Op::EndPath(_) => self.path.clear(),
            Op::ClipNonZero(_) | Op::ClipEvenOdd(_) | Op::Shading(_) => {}
            _ => return false,
        }
        true
    }

    /// Paints the current path (its ruling lines kept) and starts a new one.
    fn paint(&mut self, fill: bool, stroke: bool) {
        let path: Vec<El> = std::mem::take(&mut self.path);
        if !self.visible() {
            return;
        }
        let ctm = self.state.ctm;
        let page: Vec<El> = path
            .iter()
            .map(|el| match *el {
                El::Move(p) => El::Move(ctm.apply(p)),
                El::Line(p) => El::Line(ctm.apply(p)),
                El::Curve(ps) => El::Curve(ps.map(|p| ctm.apply(p))),
                El::Close => El::Close,
            })
            .collect();
        if fill && !self.state.fill.shows_nothing() {
            self.fill(&page);
        }
        if stroke && !self.state.stroke.shows_nothing() {
            self.stroke(&page);
        }
    }

    fn rule(&mut self, a: (f64, f64), b: (f64, f64)) {
        if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
            return;
        }
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dy <= 0.5 && dx > 1.0 {
            self.marks.rules.push(Rule {
                horizontal: true,
                at: (a.1 + b.1) / 2.0,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            });
        } else if dx <= 0.5 && dy > 1.0 {
            self.marks.rules.push(Rule {
                horizontal: false,
                at: (a.0 + b.0) / 2.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            });
        }
    }

    /// The straight segments of a stroked path.
    fn stroke(&mut self, path: &[El]) {
        let (mut start, mut last) = ((0.0, 0.0), (0.0, 0.0));
        for el in path {
            if self.full() {
                return;
            }
            match *el {
                El::Move(p) => {
                    start = p;
                    last = p;
                }
                El::Line(p) => {
                    self.rule(last, p);
                    last = p;
                }
                El::Close => {
                    self.rule(last, start);
                    last = start;
                }
                El::Curve([.., p]) => last = p,
            }
        }
    }

    /// A filled path: each of its subpaths that is a thin box is a rule.
    fn fill(&mut self, path: &[El]) {
        let mut points: Vec<(f64, f64)> = Vec::new();
        let flush = |points: &mut Vec<(f64, f64)>, this: &mut Self| {
            if points.is_empty() {
                return;
            }
            let (x0, x1, y0, y1) = bounds(points);
            let (w, h) = (x1 - x0, y1 - y0);
            if h <= MAX_RULE && w > h && w > 1.0 {
                let y = (y0 + y1) / 2.0;
                this.rule((x0, y), (x1, y));
            } else if w <= MAX_RULE && h > w && h > 1.0 {
                let x = (x0 + x1) / 2.0;
                this.rule((x, y0), (x, y1));
            }
            points.clear();
        };
        for el in path {
            if self.full() {
                return;
            }
            match *el {
                El::Move(p) => {
                    flush(&mut points, self);
                    points.push(p);
                }
                El::Line(p) => points.push(p),
                El::Curve(ps) => points.extend(ps),
                El::Close => {}
            }
        }
        flush(&mut points, self);
    }

    /// Text objects, text state and text showing.
    fn text_op(&mut self, op: &Op<'_, '_>, resources: &Resources<'_>) {
        let text = &mut self.state.text;
        match op {
            Op::BeginText(_) => {
                self.tm = Affine::IDENTITY;
                self.tlm = Affine::IDENTITY;
            }
            Op::CharacterSpacing(n) => text.char_space = num(&n.0),
            Op::WordSpacing(n) => text.word_space = num(&n.0),
            Op::HorizontalScaling(n) => text.scale = num(&n.0) / 100.0,
            Op::TextLeading(n) => text.leading = num(&n.0),
            Op::TextRise(n) => text.rise = num(&n.0),
            Op::TextFont(f) => {
                text.size = num(&f.1);
                text.font = resources.get_font(f.0).map(|d| self.fonts.get(&d));
            }
            Op::NextLine(n) => self.next_line(num(&n.0), num(&n.1)),
            Op::NextLineAndSetLeading(n) => {
                let (tx, ty) = (num(&n.0), num(&n.1));
                self.state.text.leading = -ty;
                self.next_line(tx, ty);
            }
            Op::SetTextMatrix(m) => {
                self.tm = affine([&m.0, &m.1, &m.2, &m.3, &m.4, &m.5]);
                self.tlm = self.tm;
            }
            Op::NextLineUsingLeading(_) => self.next_line(0.0, -self.state.text.leading),
            Op::ShowText(s) => self.show(s.0.as_bytes()),
            Op::NextLineAndShowText(s) => {
                self.next_line(0.0, -self.state.text.leading);
                self.show(s.0.as_bytes());
            }
            Op::ShowTextWithParameters(s) => {
                self.state.text.word_space = num(&s.0);
                self.state.text.char_space = num(&s.1);
                self.next_line(0.0, -self.state.text.leading);
                self.show(s.2.as_bytes());
            }
            Op::ShowTexts(array) => {
                for item in array.0.iter::<Object<'_>>() {
                    match item {
                        Object::String(s) => self.show(s.as_bytes()),
                        Object::Number(n) => self.adjust(n.as_f64()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }

    fn next_line(&mut self, tx: f64, ty: f64) {
        self.tlm = self.tlm.then_after(Affine::translate(tx, ty));
        self.tm = self.tlm;
    }

    /// A `TJ` number: thousandths of an em, backwards along the line.
    fn adjust(&mut self, adjustment: f64) {
        let text = &self.state.text;
        let Some(font) = &text.font else {
            return;
        };
        let shift = -adjustment / 1000.0 * text.size;
        let (tx, ty) = if font.vertical() {
            (0.0, shift)
        } else {
            (shift * text.scale, 0.0)
        };
        self.tm = self.tm.then_after(Affine::translate(tx, ty));
    }

    /// The glyphs of a shown string, each with its box, the text matrix advanced past them.
    fn show(&mut self, bytes: &[u8]) {
        let Some(font) = self.state.text.font.clone() else {
            return;
        };
        let text = self.state.text.clone();
        let vertical = font.vertical();
        // Text space at font size 1 to page space.
        let size = Affine([text.size * text.scale, 0.0, 0.0, text.size, 0.0, text.rise]);
        for code in font.codes(bytes) {
            if self.full() {
                return;
            }
            let to_page = self.state.ctm.then_after(self.tm).then_after(size);
            match &code.text {
                // A code mapped to nothing draws no character.
                _ if !self.visible() => {}
                Some(t) if t.is_empty() => {}
                Some(t) => self.glyph(t, code.advance, vertical, to_page),
                None => self.marks.unmapped += 1,
            }
            let spacing = text.char_space + if code.space { text.word_space } else { 0.0 };
            // Downwards in a vertical font: its advance is the height of the em.
            let (tx, ty) = if vertical {
                (0.0, -code.advance * text.size + spacing)
            } else {
                ((code.advance * text.size + spacing) * text.scale, 0.0)
            };
            self.tm = self.tm.then_after(Affine::translate(tx, ty));
        }
    }

    /// A glyph's em box: its advance wide (a full or half em where the font gives none that
    /// is usable), from 0.12 em below the baseline to 0.88 above; a vertical font's glyph
    /// hangs centred below its origin.
    fn glyph(&mut self, text: &str, advance: f64, vertical: bool, to_page: Affine) {
        let text = radicals::ideographs(text);
        let width = if advance.is_finite() && advance > 0.0 && advance < 4.0 && !vertical {
            advance
        } else {
            assumed_advance(&text)
        };
        let (x0, x1, y0, y1) = if vertical {
            (-width / 2.0, width / 2.0, -1.0, 0.0)
        } else {
            (0.0, width, -0.12, 0.88)
        };
        let corners = [(x0, y0), (x1, y0), (x0, y1), (x1, y1)].map(|p| to_page.apply(p));
        let (x0, x1, y0, y1) = bounds(&corners);
        let (ox, oy) = to_page.apply((0.0, 0.0));
        let (ux, uy) = to_page.apply((0.0, 1.0));
        let glyph = Glyph {
            text,
            x0,
            x1,
            y0,
            y1,
            size: (ux - ox).hypot(uy - oy),
        };
        if [x0, x1, y0, y1].iter().all(|v| v.is_finite()) {
            self.marks.glyphs.push(glyph);
        }
    }
}

impl Paint {
    /// `cs`/`CS`: the named space, its initial colour black (a tint space's full ink).
    fn space_named(&mut self, name: &Name<'_>, resources: &Resources<'_>) {
        self.space = match device_space(name) {
            Some(space) => space,
            None => resources
                .get_color_space(name)
                .map_or(Space::Other, |o| space_of(&o)),
        };
        self.white = false;
    }

    /// `sc`/`scn`: components, or a pattern's name (ink).
    fn named(&mut self, components: &[f64], pattern: bool) {
        if pattern {
            self.white = false;
        } else {
            self.set(components);
        }
    }

    /// `g`, `rg`, `k` and their stroking forms.
    fn device(&mut self, space: Space, components: &[f64]) {
        self.space = space;
        self.set(components);
    }
}

fn nums(numbers: &[Number]) -> Vec<f64> {
    numbers.iter().map(Number::as_f64).collect()
}

fn device_space(name: &[u8]) -> Option<Space> {
    match name {
        b"DeviceGray" | b"G" | b"CalGray" => Some(Space::Gray),
        b"DeviceRGB" | b"RGB" | b"CalRGB" => Some(Space::Rgb),
        b"DeviceCMYK" | b"CMYK" => Some(Space::Cmyk),
        b"Pattern" | b"Indexed" | b"I" | b"Lab" => Some(Space::Other),
        b"Separation" | b"DeviceN" => Some(Space::Tint),
        _ => None,
    }
}

/// A colour space object: a name, or an array whose first item names its family.
fn space_of(object: &Object<'_>) -> Space {
    match object {
        Object::Name(name) => device_space(name).unwrap_or(Space::Other),
        Object::Array(array) => {
            let mut items = array.iter::<Object<'_>>();
            let Some(Object::Name(family)) = items.next() else {
                return Space::Other;
            };
            if &*family == b"ICCBased" {
                let n = match items.next() {
                    Some(Object::Stream(s)) => s.dict().get::<u32>(b"N"),
                    _ => None,
                };
                return match n {
                    Some(1) => Space::Gray,
                    Some(3) => Space::Rgb,
                    Some(4) => Space::Cmyk,
                    _ => Space::Other,
                };
            }
            device_space(&family).unwrap_or(Space::Other)
        }
        _ => Space::Other,
    }
}

/// A stream's `/Matrix`.
fn matrix(dict: &Dict<'_>) -> Option<Affine> {
    let m = dict.get::<[f64; 6]>(b"Matrix")?;
    m.iter().all(|v| v.is_finite()).then_some(Affine(m))
}

/// The smallest and largest x and y of `points`.
fn bounds(points: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    points.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |(x0, x1, y0, y1), &(x, y)| (x0.min(x), x1.max(x), y0.min(y), y1.max(y)),
    )
}
