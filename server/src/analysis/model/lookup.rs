//! Finding the scopes and states around a place without reading every state of a big
//! flow. Without aliases a list's items are where their text is and follow one another,
//! so the ones around an offset are found by halving; with aliases these fall back to
//! the plain walks of [`Flow`] and [`Scope`], which they equal.

use super::{Flow, Scope, ScopeKind, State};
use crate::syntax::{Node, NodeKind, TextRange};

/// Lists this long or shorter are read item by item.
const HALVING_FROM: usize = 16;

impl<'a> Flow<'a> {
    /// [`Flow::scopes_where`] entering the states whose range contains `range`.
    pub fn scopes_containing(&self, range: TextRange) -> Vec<Scope<'_, 'a>> {
        if self.follows_aliases() {
            return self.scopes_where(&|n| n.range().contains_range(range));
        }
        let mut out = vec![self.top_scope()];
        let mut i = 0;
        while i < out.len() {
            let scope = out[i];
            for state in scope.states_containing(range) {
                out.extend(state.child_scopes());
            }
            i += 1;
        }
        out
    }

    /// [`Flow::scopes_around`], found by halving.
    pub fn scopes_holding(&self, node: Node<'a>) -> Vec<Scope<'_, 'a>> {
        if self.follows_aliases() { self.scopes() } else { self.scopes_containing(node.range()) }
    }
}

impl<'f, 'a> Scope<'f, 'a> {
    /// The `States:` / `steps:` list itself (aliases followed).
    pub fn state_list(&self) -> Option<Node<'a>> {
        self.list_entry().map(|e| self.flow.resolve(e.value))
    }

    /// Item `index` of the list, when it is a state (a mapping).
    pub fn state_at(&self, index: usize) -> Option<State<'f, 'a>> {
        let node = self.flow.resolve(self.state_list()?.item(index)?);
        (node.kind() == NodeKind::Mapping).then_some(State { flow: self.flow, node })
    }

    /// The states whose range contains `range`, in list order: [`Scope::states`] filtered.
    pub fn states_containing(&self, range: TextRange) -> Vec<State<'f, 'a>> {
        let Some(list) = self.state_list() else { return Vec::new() };
        if self.flow.follows_aliases() || list.item_count() <= HALVING_FROM {
            return self.states().into_iter().filter(|s| s.node.range().contains_range(range)).collect();
        }
        // Items do not overlap and are in order, so neither their starts nor their ends
        // decrease: those that end before `range` come first, those that start after it last.
        let from = list.item_partition_point(|n| n.range().end >= range.end);
        (from..list.item_count())
            .map_while(|i| list.item(i))
            .take_while(|n| n.range().start <= range.start)
            .filter(|n| n.kind() == NodeKind::Mapping && n.range().contains_range(range))
            .map(|node| State { flow: self.flow, node })
            .collect()
    }

    /// The index in [`Scope::state_list`] of the state `node`, if it is one of this scope's.
    pub fn index_of(&self, node: Node<'a>) -> Option<usize> {
        let list = self.state_list()?;
        if self.flow.follows_aliases() || list.item_count() <= HALVING_FROM {
            return list.items().position(|n| self.flow.resolve(n).same(node));
        }
        let at = list.item_partition_point(|n| n.range().start >= node.range().start);
        list.item(at).filter(|n| n.same(node)).map(|_| at)
    }

    /// The last state that starts at or before `offset`, if it contains it ([`Scope::states`]
    /// searched; by halving without aliases).
    pub fn state_around(&self, offset: u32) -> Option<State<'f, 'a>> {
        self.states_containing(TextRange::empty(offset)).pop()
    }

    /// Whether this scope is the flow's top level.
    pub fn is_top(&self) -> bool {
        self.kind == ScopeKind::Flow && self.parent.is_none()
    }
}
