//! Small reusable drawing pieces.

pub mod slider;

use ratatui::layout::Rect;

/// A `w`×`h` rectangle centred in `area` (clipped to it), for overlays.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let (w, h) = (w.min(area.width), h.min(area.height));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
