//! Draws the dialogue tree as Mermaid or Graphviz DOT (`helpdesk graph`).

use super::load::Tree;
use super::model::{Node, Target};
use super::texts::Locale;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GraphFormat {
    Mermaid,
    Dot,
}

struct Edge {
    from: String,
    to: String,
    label: String,
}

fn safe_id(id: &str) -> String {
    id.replace('.', "__")
}

fn label(tree: &Tree, key: &str) -> String {
    let text = super::texts::html_to_plain(&tree.texts.get(Locale::En, key));
    let first = text.lines().next().unwrap_or("").trim();
    let short: String = first.chars().take(40).collect();
    short.replace('"', "'")
}

fn edges(tree: &Tree) -> Vec<Edge> {
    let mut edges = Vec::new();
    for (id, node) in &tree.nodes {
        let mut push = |to: &Target, text: String| {
            let to = match to {
                Target::Node(n) => n.clone(),
                Target::Back => "back".into(),
                Target::Cancel => "menu.main".into(),
                Target::Human => "human".into(),
                Target::Stay => "back".into(),
            };
            edges.push(Edge {
                from: id.clone(),
                to,
                label: text,
            });
        };
        match node {
            Node::Menu { buttons, .. } => buttons
                .iter()
                .for_each(|b| push(&b.next, label(tree, &b.text))),
            Node::Input {
                next,
                buttons,
                validator,
                ..
            } => {
                push(next, format!("valid {validator}"));
                buttons
                    .iter()
                    .for_each(|b| push(&b.next, label(tree, &b.text)));
            }
            Node::Action { outcomes, .. } => outcomes.iter().for_each(|(o, t)| push(t, o.clone())),
            Node::End { next, .. } => push(next, String::new()),
        }
    }
    edges.retain(|e| e.to != "back");
    edges
}

fn node_label(tree: &Tree, id: &str, node: &Node) -> String {
    match node {
        Node::Action { action, .. } => format!("{id}\\n⚙ {action}"),
        Node::Input { validator, .. } => format!("{id}\\n✎ {validator}"),
        _ => id.to_string(),
    }
    .replace(
        "menu.main",
        &format!("menu.main ({})", label(tree, "flow-menu")),
    )
}

/// Renders the whole tree, one subgraph per flow.
pub fn render(tree: &Tree, format: GraphFormat) -> String {
    let mut out = String::new();
    let edges = edges(tree);
    match format {
        GraphFormat::Mermaid => {
            out.push_str("flowchart LR\n");
            for flow in tree.flows.keys() {
                out.push_str(&format!("  subgraph {flow}\n"));
                for (id, node) in tree
                    .nodes
                    .iter()
                    .filter(|(id, _)| id.starts_with(&format!("{flow}.")))
                {
                    let text = node_label(tree, id, node).replace("\\n", "<br/>");
                    let shape = match node {
                        Node::Action { .. } => format!("{{{{\"{text}\"}}}}"),
                        Node::End { .. } => format!("([\"{text}\"])"),
                        _ => format!("[\"{text}\"]"),
                    };
                    out.push_str(&format!("    {}{shape}\n", safe_id(id)));
                }
                out.push_str("  end\n");
            }
            out.push_str("  human((human))\n");
            for e in edges {
                if e.label.is_empty() {
                    out.push_str(&format!("  {} --> {}\n", safe_id(&e.from), safe_id(&e.to)));
                } else {
                    out.push_str(&format!(
                        "  {} -->|\"{}\"| {}\n",
                        safe_id(&e.from),
                        e.label,
                        safe_id(&e.to)
                    ));
                }
            }
        }
        GraphFormat::Dot => {
            out.push_str("digraph dialogue {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
            for flow in tree.flows.keys() {
                out.push_str(&format!(
                    "  subgraph cluster_{flow} {{\n    label=\"{flow}\";\n"
                ));
                for (id, node) in tree
                    .nodes
                    .iter()
                    .filter(|(id, _)| id.starts_with(&format!("{flow}.")))
                {
                    let shape = match node {
                        Node::Action { .. } => "hexagon",
                        Node::End { .. } => "oval",
                        _ => "box",
                    };
                    out.push_str(&format!(
                        "    \"{id}\" [label=\"{}\", shape={shape}];\n",
                        node_label(tree, id, node)
                    ));
                }
                out.push_str("  }\n");
            }
            for e in edges {
                out.push_str(&format!(
                    "  \"{}\" -> \"{}\" [label=\"{}\"];\n",
                    e.from, e.to, e.label
                ));
            }
            out.push_str("}\n");
        }
    }
    out
}

#[cfg(test)]
mod readme_tests {
    use super::*;

    #[test]
    fn the_readme_shows_the_graph_of_the_shipped_dialogues() {
        let readme = include_str!("../../README.md");
        let tree = Tree::embedded().expect("the shipped dialogues");
        let graph = render(&tree, GraphFormat::Mermaid);
        let shown = readme
            .split_once("### Dialogue graph\n\n```mermaid\n")
            .and_then(|(_, rest)| rest.split_once("```\n"))
            .map(|(graph, _)| graph)
            .expect("the README's dialogue graph");
        assert_eq!(
            shown.trim_end(),
            graph.trim_end(),
            "README's graph is out of date: paste `helpdesk graph` into it"
        );
    }
}
