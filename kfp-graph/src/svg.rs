//! The graph as a self-contained SVG image, drawn from a [`Layout`].
//!
//! Tasks are rounded boxes with their name and a caption (see
//! [`crate::label`]), groups are tinted rounded rectangles with a title,
//! artifact edges are solid, parameter edges dashed and order-only edges
//! dotted with an open arrowhead; a legend at the bottom says so. All text
//! is escaped for XML and cut to fit its box (the whole of it is in the
//! box's tooltip). Each task's element carries `data-task="PATH"`, and each
//! edge `data-from`/`data-to`, for scripts.
//!
//! To draw a run, give [`SvgOptions::decorate`] a [`Decorate`]: it is asked
//! for a [`NodeDecoration`] per task, by the task's path, and the task is
//! drawn in its state's colour, with an icon, a badge (`SUCCEEDED 1.2s`,
//! `CACHED`) in place of its caption, and a link.

use std::fmt::{self, Write};

use crate::label;
use crate::layout::{
    GROUP_CAPTION_WIDTH, GROUP_PADDING, ICON_WIDTH, Layout, NODE_HEIGHT, NODE_PADDING, Point, Rect,
};
use crate::model::{EdgeKind, PipelineGraph, Task, TaskKind};
use crate::text::{self, BOLD, SMALL_PX, TITLE_PX};
use crate::theme;

/// The space around the drawing.
const MARGIN: f64 = 16.0;
/// The height of the pipeline's name above the drawing.
const HEADER: f64 = 30.0;
/// The height of the legend below it.
const LEGEND: f64 = 30.0;

/// How a task of a run is drawn: its state and where to find out more.
/// Every part is optional.
///
/// ```
/// use kfp_graph::NodeDecoration;
///
/// let done = NodeDecoration::state("SUCCEEDED", "#188038")
///     .icon('✓')
///     .badge("SUCCEEDED 1.2s")
///     .link("/runs/42/tasks/train");
/// assert_eq!(done.color.as_deref(), Some("#188038"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeDecoration {
    /// The state's name (`SUCCEEDED`), shown in the tooltip and added to
    /// the element's classes as `state-succeeded`.
    pub state: Option<String>,
    /// The state's colour (an SVG colour: `#188038`, `crimson`,
    /// `rgb(24, 128, 56)`): the border, a tint of the box, the icon and the
    /// badge. Text with other characters than those is ignored.
    pub color: Option<String>,
    /// A character drawn before the task's name (`✓`, `✗`, `⟳`).
    pub icon: Option<char>,
    /// A short text drawn in place of the caption (`SUCCEEDED 1.2s`,
    /// `CACHED`).
    pub badge: Option<String>,
    /// Where a click on the task goes.
    pub link: Option<String>,
}

impl NodeDecoration {
    /// A decoration with a state and its colour.
    pub fn state(name: impl Into<String>, color: impl Into<String>) -> Self {
        Self {
            state: Some(name.into()),
            color: Some(color.into()),
            ..Self::default()
        }
    }

    /// With an icon.
    #[must_use]
    pub fn icon(mut self, icon: char) -> Self {
        self.icon = Some(icon);
        self
    }

    /// With a badge.
    #[must_use]
    pub fn badge(mut self, badge: impl Into<String>) -> Self {
        self.badge = Some(badge.into());
        self
    }

    /// With a link.
    #[must_use]
    pub fn link(mut self, url: impl Into<String>) -> Self {
        self.link = Some(url.into());
        self
    }
}

/// Gives tasks their [`NodeDecoration`]s; a closure
/// `Fn(&Task) -> Option<NodeDecoration>` is one. Look tasks up by
/// [`Task::path`] (`for-loop-2/train`): a run names its executions by the
/// same path, with iteration numbers after looped tasks.
pub trait Decorate {
    /// The decoration of `task`, or `None` to draw it plainly.
    fn decorate(&self, task: &Task) -> Option<NodeDecoration>;
}

impl<F: Fn(&Task) -> Option<NodeDecoration>> Decorate for F {
    fn decorate(&self, task: &Task) -> Option<NodeDecoration> {
        self(task)
    }
}

/// What [`render`] draws besides the graph.
#[derive(Clone, Copy)]
pub struct SvgOptions<'a> {
    /// Decorations of the tasks, for drawing a run.
    pub decorate: Option<&'a dyn Decorate>,
    /// The pipeline's name above the drawing.
    pub title: bool,
    /// The legend of edge styles below it.
    pub legend: bool,
}

impl Default for SvgOptions<'_> {
    fn default() -> Self {
        Self {
            decorate: None,
            title: true,
            legend: true,
        }
    }
}

impl fmt::Debug for SvgOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SvgOptions")
            .field("decorate", &self.decorate.map(|_| "…"))
            .field("title", &self.title)
            .field("legend", &self.legend)
            .finish()
    }
}

/// The SVG of `graph` laid out as `layout`.
///
/// ```
/// use kfp_graph::{Layout, NodeDecoration, PipelineGraph, SvgOptions, Task, svg};
///
/// # let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(serde_json::json!({
/// #     "pipelineInfo": {"name": "p"},
/// #     "root": {"dag": {"tasks": {"train": {"taskInfo": {"name": "train"},
/// #         "componentRef": {"name": "comp-train"}}}}},
/// #     "schemaVersion": "2.1.0"
/// # }))?;
/// let graph = PipelineGraph::from_spec(&spec);
/// let layout = Layout::of(&graph);
/// let states = |task: &Task| {
///     (task.path == "train").then(|| NodeDecoration::state("RUNNING", "#1a73e8").badge("RUNNING 3s"))
/// };
/// let drawn = svg::render(&graph, &layout, &SvgOptions { decorate: Some(&states), ..SvgOptions::default() });
/// assert!(drawn.contains("RUNNING 3s"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn render(graph: &PipelineGraph, layout: &Layout, options: &SvgOptions<'_>) -> String {
    let header = if options.title { HEADER } else { 0.0 };
    let kinds: Vec<EdgeKind> = [EdgeKind::Artifact, EdgeKind::Parameter, EdgeKind::Order]
        .into_iter()
        .filter(|k| graph.edges().iter().any(|e| e.kind == *k))
        .collect();
    let legend = if options.legend && !kinds.is_empty() {
        LEGEND
    } else {
        0.0
    };
    let width = (layout.size.width + 2.0 * MARGIN).max(legend_width(&kinds) + 2.0 * MARGIN);
    let height = layout.size.height + 2.0 * MARGIN + header + legend;
    let mut out = String::with_capacity(512 + graph.tasks().len() * 600);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{name}\">\n<title>{name}</title>\n",
        w = N(width),
        h = N(height),
        name = Xml(&graph.display_name),
    );
    write_style(&mut out);
    let _ = writeln!(
        out,
        "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
    );
    if options.title {
        let _ = writeln!(
            out,
            "<text class=\"h\" x=\"{}\" y=\"{}\">{}</text>",
            N(MARGIN),
            N(MARGIN + 14.0),
            Xml(&graph.display_name)
        );
    }
    let _ = writeln!(
        out,
        "<g transform=\"translate({},{})\">",
        N(MARGIN),
        N(MARGIN + header)
    );
    let decorations: Vec<Option<NodeDecoration>> = graph
        .tasks()
        .iter()
        .map(|t| options.decorate.and_then(|d| d.decorate(t)))
        .collect();
    for task in graph.tasks().iter().filter(|t| t.kind.is_group()) {
        write_group(
            &mut out,
            task,
            layout.rect(task.id),
            decorations[task.id.index()].as_ref(),
        );
    }
    for (i, edge) in graph.edges().iter().enumerate() {
        write_edge(&mut out, graph, edge, layout.route(i));
    }
    for task in graph.tasks().iter().filter(|t| t.kind.is_group()) {
        let decoration = decorations[task.id.index()].as_ref();
        write_group_label(&mut out, task, layout.rect(task.id), decoration);
    }
    for task in graph.tasks().iter().filter(|t| !t.kind.is_group()) {
        write_node(
            &mut out,
            task,
            layout.rect(task.id),
            decorations[task.id.index()].as_ref(),
        );
    }
    out.push_str("</g>\n");
    if legend > 0.0 {
        write_legend(&mut out, &kinds, height - MARGIN - 10.0);
    }
    out.push_str("</svg>\n");
    out
}

/// The stylesheet and the arrowheads.
fn write_style(out: &mut String) {
    let _ = writeln!(
        out,
        "<style>\
         text{{font-family:Helvetica,Arial,sans-serif;fill:{ink}}}\
         .h{{font-size:15px;font-weight:600}}\
         .t{{font-size:{t}px}}.b{{font-weight:600}}\
         .c{{font-size:{s}px;fill:{muted}}}\
         .e{{fill:none;stroke:{ink};stroke-width:1.3}}\
         </style>",
        ink = theme::INK,
        muted = theme::MUTED,
        t = TITLE_PX,
        s = SMALL_PX,
    );
    let _ = writeln!(
        out,
        "<defs>\
         <marker id=\"kfp-graph-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\
         <path d=\"M0,0L10,5L0,10z\" fill=\"{ink}\"/></marker>\
         <marker id=\"kfp-graph-after\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">\
         <path d=\"M1,1L10,5L1,9\" fill=\"none\" stroke=\"{ink}\" stroke-width=\"1.5\"/></marker>\
         </defs>",
        ink = theme::INK,
    );
}

/// A group's box (its title is drawn later, over the edges).
fn write_group(out: &mut String, task: &Task, rect: Rect, decoration: Option<&NodeDecoration>) {
    let (border, fill) = theme::group_colours(&task.kind);
    let colour = colour_of(decoration);
    let _ = writeln!(
        out,
        "<g class=\"g {}{}\" data-task=\"{}\"><title>{}</title>",
        group_class(&task.kind),
        state_class(decoration),
        Xml(&task.path),
        Xml(&tooltip(task, decoration)),
    );
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"10\" fill=\"{fill}\" \
         stroke=\"{}\" stroke-width=\"{}\"/>",
        N(rect.x),
        N(rect.y),
        N(rect.width),
        N(rect.height),
        colour.unwrap_or(border),
        if colour.is_some() { 2.0 } else { 1.2 },
    );
    out.push_str("</g>\n");
}

/// A group's title (with the badge at its right) and caption, over the
/// edges that enter the group through them, on a halo of the group's fill.
fn write_group_label(
    out: &mut String,
    task: &Task,
    rect: Rect,
    decoration: Option<&NodeDecoration>,
) {
    let (border, fill) = theme::group_colours(&task.kind);
    let colour = colour_of(decoration);
    let _ = writeln!(
        out,
        "<g class=\"gl\" data-task=\"{}\" \
         style=\"stroke:{fill};stroke-width:3px;stroke-linejoin:round;paint-order:stroke\">",
        Xml(&task.path)
    );
    let (title_y, caption_y) = (rect.y + 17.0, rect.y + 31.0);
    let mut x = rect.x + GROUP_PADDING;
    let right = rect.x + rect.width - GROUP_PADDING;
    if let Some(icon) = decoration.and_then(|d| d.icon) {
        write_text(
            out,
            "t b",
            x,
            title_y,
            colour.unwrap_or(border),
            &icon.to_string(),
        );
        x += ICON_WIDTH;
    }
    let title = label::title(task);
    let title_width = text::width(title, TITLE_PX * BOLD);
    let mut caption_room = (rect.width - 2.0 * GROUP_PADDING).min(GROUP_CAPTION_WIDTH);
    let mut title_room = right - x;
    if let Some(badge) = decoration.and_then(|d| d.badge.as_deref()) {
        // At the right of the title, or of the caption if the title needs
        // the room.
        let badge_room = text::width(badge, SMALL_PX * BOLD) + 10.0;
        let y = if title_width <= title_room - badge_room {
            title_room -= badge_room;
            title_y
        } else {
            caption_room = caption_room.min(rect.width - 2.0 * GROUP_PADDING - badge_room);
            caption_y
        };
        let _ = writeln!(
            out,
            "<text class=\"c b\" x=\"{}\" y=\"{}\" text-anchor=\"end\" style=\"fill:{}\">{}</text>",
            N(right),
            N(y),
            colour.unwrap_or(theme::MUTED),
            Xml(badge)
        );
    }
    let title = text::truncate(title, title_room, TITLE_PX * BOLD);
    write_text(out, "t b", x, title_y, border, &title);
    let caption = label::caption(task);
    let caption = text::truncate(&caption, caption_room.max(0.0), SMALL_PX);
    write_text(
        out,
        "c",
        rect.x + GROUP_PADDING,
        caption_y,
        theme::MUTED,
        &caption,
    );
    out.push_str("</g>\n");
}

/// A task's box, icon, name and caption (or badge), in a link if it has
/// one.
fn write_node(out: &mut String, task: &Task, rect: Rect, decoration: Option<&NodeDecoration>) {
    let link = decoration.and_then(|d| d.link.as_deref());
    if let Some(link) = link {
        let _ = write!(out, "<a href=\"{}\">", Xml(link));
    }
    let colour = colour_of(decoration);
    let _ = writeln!(
        out,
        "<g class=\"n{}\" data-task=\"{}\"><title>{}</title>",
        state_class(decoration),
        Xml(&task.path),
        Xml(&tooltip(task, decoration)),
    );
    let (x, y, w, h) = (N(rect.x), N(rect.y), N(rect.width), N(rect.height));
    let _ = writeln!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"7\" fill=\"{}\" stroke=\"{}\" \
         stroke-width=\"{}\"/>",
        theme::node_fill(&task.kind),
        colour.unwrap_or(theme::INK),
        if colour.is_some() { 2.0 } else { 1.0 },
    );
    if let Some(colour) = colour {
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"7\" fill=\"{colour}\" \
             fill-opacity=\"0.12\"/>"
        );
    }
    let left = rect.x + NODE_PADDING;
    let first = rect.y + NODE_HEIGHT / 2.0 - 4.0;
    let second = rect.y + NODE_HEIGHT / 2.0 + 12.0;
    match decoration.and_then(|d| d.icon) {
        Some(icon) => write_text(
            out,
            "t b",
            left,
            first,
            colour.unwrap_or(theme::INK),
            &icon.to_string(),
        ),
        None => {
            let _ = writeln!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{}\"/>",
                N(left + 5.0),
                N(first - 4.5),
                kind_dot(&task.kind)
            );
        }
    }
    let room = rect.width - 2.0 * NODE_PADDING - ICON_WIDTH;
    let title = text::truncate(label::title(task), room, TITLE_PX * BOLD);
    write_text(out, "t b", left + ICON_WIDTH, first, theme::INK, &title);
    match decoration.and_then(|d| d.badge.as_deref()) {
        Some(badge) => {
            let badge = text::truncate(badge, room, SMALL_PX * BOLD);
            write_text(
                out,
                "c b",
                left + ICON_WIDTH,
                second,
                colour.unwrap_or(theme::MUTED),
                &badge,
            );
        }
        None => {
            let caption = label::caption(task);
            let caption = text::truncate(&caption, room, SMALL_PX);
            write_text(out, "c", left + ICON_WIDTH, second, theme::MUTED, &caption);
        }
    }
    out.push_str("</g>\n");
    if link.is_some() {
        out.push_str("</a>\n");
    }
}

/// One line of text in a colour (inline, so that it wins over the
/// stylesheet).
fn write_text(out: &mut String, class: &str, x: f64, y: f64, colour: &str, text: &str) {
    let _ = writeln!(
        out,
        "<text class=\"{class}\" x=\"{}\" y=\"{}\" style=\"fill:{colour}\">{}</text>",
        N(x),
        N(y),
        Xml(text)
    );
}

/// The colour of a decoration, if it is one: letters, digits, `#`, and
/// `(`, `)`, `,`, `.`, `%`, spaces for `rgb(…)` and the like; anything else
/// (which could end the attribute or the style it goes in) is ignored.
fn colour_of(decoration: Option<&NodeDecoration>) -> Option<&str> {
    decoration.and_then(|d| d.color.as_deref()).filter(|c| {
        !c.is_empty()
            && c.chars()
                .all(|c| c.is_ascii_alphanumeric() || "#(),.% -".contains(c))
    })
}

/// An edge as a path: straight down where its points are above each
/// other, an S-curve (vertical at both ends) between points that are not.
fn write_edge(out: &mut String, graph: &PipelineGraph, edge: &crate::model::Edge, route: &[Point]) {
    let [first, rest @ ..] = route else {
        return;
    };
    if rest.is_empty() {
        return;
    }
    let mut d = format!("M{},{}", N(first.x), N(first.y));
    let mut at = *first;
    for &p in rest {
        if (p.x - at.x).abs() < 0.5 {
            let _ = write!(d, "L{},{}", N(p.x), N(p.y));
        } else {
            let mid = (at.y + p.y) / 2.0;
            let _ = write!(
                d,
                "C{},{} {},{} {},{}",
                N(at.x),
                N(mid),
                N(p.x),
                N(mid),
                N(p.x),
                N(p.y)
            );
        }
        at = p;
    }
    let (dash, _) = theme::edge_dash(edge.kind);
    let marker = if edge.kind == EdgeKind::Order {
        "kfp-graph-after"
    } else {
        "kfp-graph-arrow"
    };
    let (from, to) = (graph.task(edge.from), graph.task(edge.to));
    let mut title = format!("{} → {}", from.display_name, to.display_name);
    for value in &edge.values {
        title.push('\n');
        title.push_str(value);
    }
    let _ = writeln!(
        out,
        "<path class=\"e\" d=\"{d}\"{} marker-end=\"url(#{marker})\" data-from=\"{}\" \
         data-to=\"{}\"><title>{}</title></path>",
        dash.map(|d| format!(" stroke-dasharray=\"{d}\""))
            .unwrap_or_default(),
        Xml(&from.path),
        Xml(&to.path),
        Xml(&title),
    );
}

/// The legend of the edge kinds drawn, at `y`.
fn write_legend(out: &mut String, kinds: &[EdgeKind], y: f64) {
    let mut x = MARGIN;
    out.push_str("<g class=\"legend\">\n");
    for &kind in kinds {
        let (dash, _) = theme::edge_dash(kind);
        let _ = writeln!(
            out,
            "<path class=\"e\" d=\"M{},{}h28\"{}/><text class=\"c\" x=\"{}\" y=\"{}\">{}</text>",
            N(x),
            N(y - 4.0),
            dash.map(|d| format!(" stroke-dasharray=\"{d}\""))
                .unwrap_or_default(),
            N(x + 34.0),
            N(y),
            theme::edge_meaning(kind)
        );
        x += legend_entry_width(kind);
    }
    out.push_str("</g>\n");
}

/// The width of the legend of `kinds`.
fn legend_width(kinds: &[EdgeKind]) -> f64 {
    kinds.iter().map(|&k| legend_entry_width(k)).sum()
}

fn legend_entry_width(kind: EdgeKind) -> f64 {
    34.0 + text::width(theme::edge_meaning(kind), SMALL_PX) + 22.0
}

/// The colour of the dot before an undecorated task's name.
fn kind_dot(kind: &TaskKind) -> &'static str {
    match kind {
        TaskKind::Importer => "#188038",
        TaskKind::Other => "#9aa0a6",
        _ => "#1a73e8",
    }
}

fn group_class(kind: &TaskKind) -> &'static str {
    match kind {
        TaskKind::Loop(_) => "loop",
        TaskKind::Condition => "condition",
        TaskKind::Branches => "branches",
        TaskKind::ExitHandler => "exit-handler",
        _ => "pipeline",
    }
}

/// ` state-NAME` for a decorated task's classes: the state in lower case,
/// letters, digits and `-` only.
fn state_class(decoration: Option<&NodeDecoration>) -> String {
    decoration
        .and_then(|d| d.state.as_deref())
        .map(|s| {
            let name: String = s
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect();
            format!(" state-{name}")
        })
        .unwrap_or_default()
}

/// The tooltip of a task: everything the box may have cut.
fn tooltip(task: &Task, decoration: Option<&NodeDecoration>) -> String {
    let mut lines = vec![
        task.display_name.clone(),
        task.path.clone(),
        label::caption(task),
    ];
    if !task.component.is_empty() {
        lines.push(task.component.clone());
    }
    if let Some(d) = decoration {
        lines.extend(d.state.clone());
        lines.extend(d.badge.clone());
    }
    lines.join("\n")
}

/// A number as SVG wants it: at most one decimal, no `-0`.
struct N(f64);

impl fmt::Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tenths = (self.0 * 10.0).round();
        if tenths == 0.0 {
            return f.write_str("0");
        }
        if tenths % 10.0 == 0.0 {
            write!(f, "{}", tenths / 10.0)
        } else {
            write!(f, "{:.1}", tenths / 10.0)
        }
    }
}

/// Text escaped for XML content and attributes; characters XML 1.0 does
/// not allow are left out.
struct Xml<'a>(&'a str);

impl fmt::Display for Xml<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.0.chars() {
            match c {
                '&' => f.write_str("&amp;")?,
                '<' => f.write_str("&lt;")?,
                '>' => f.write_str("&gt;")?,
                '"' => f.write_str("&quot;")?,
                '\'' => f.write_str("&#39;")?,
                '\n' => f.write_str("&#10;")?,
                '\t' | '\r' => f.write_char(' ')?,
                c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_one_decimal() {
        assert_eq!(N(12.0).to_string(), "12");
        assert_eq!(N(12.345).to_string(), "12.3");
        assert_eq!(N(-0.01).to_string(), "0");
        assert_eq!(N(-3.24).to_string(), "-3.2");
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            Xml("a<b>&\"c\"'\u{1}\nd").to_string(),
            "a&lt;b&gt;&amp;&quot;c&quot;&#39;&#10;d"
        );
    }
}
