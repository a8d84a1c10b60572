//! Numbers as the content streams of a PDF write them, shared by the page painter and the
//! seal and signature ([`super::stamp`]).

/// Rounds a coordinate to hundredths of a point: smaller content streams, same drawing.
pub(super) fn round(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}
