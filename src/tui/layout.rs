//! Where each pane goes, for any terminal size. Pure, so update and draw agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// The rectangles of every pane.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    /// Prompt editor.
    pub prompt: Rect,
    /// Parameters.
    pub params: Rect,
    /// Request log.
    pub log: Rect,
    /// Response view.
    pub response: Rect,
    /// Error inspector.
    pub inspector: Rect,
    /// Footer key hints.
    pub hints: Rect,
    /// Status bar.
    pub status: Rect,
}

/// Lays out the screen: three columns when wide, stacked rows when narrow (80×24 works).
pub fn areas(size: Rect) -> Areas {
    let [main, hints, status] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(size);
    if size.width >= 150 {
        // Wide: the log spans the bottom so every column fits; the response gets height.
        let [body, params] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(58)]).areas(main);
        let [top, log] =
            Layout::vertical([Constraint::Fill(1), Constraint::Percentage(38)]).areas(body);
        let [left, response] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Fill(1)]).areas(top);
        let [prompt, inspector] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(left);
        return Areas {
            prompt,
            params,
            log,
            response,
            inspector,
            hints,
            status,
        };
    }
    let top_h = (main.height * 2 / 5).max(8);
    let [top, log, bottom] = Layout::vertical([
        Constraint::Length(top_h),
        Constraint::Percentage(30),
        Constraint::Fill(1),
    ])
    .areas(main);
    let params_w = (size.width / 2).min(56);
    let [prompt, params] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(params_w)]).areas(top);
    let [response, inspector] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);
    Areas {
        prompt,
        params,
        log,
        response,
        inspector,
        hints,
        status,
    }
}
