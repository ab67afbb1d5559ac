//! Values kept per shared piece between requests on one document, by the piece's address.
//!
//! An edit re-parses only what it touched, and every other state keeps its subtree (the
//! same `Arc`), so a value made from a state holds while its subtree does; each entry holds
//! its key, so the address cannot be reused by another piece while the entry lives.
//! Entries are looked up in place during a pass and those not used by the end of it are
//! dropped: a pass over thousands of unchanged states costs lookups, not a new map. The
//! outline's symbols and the semantic tokens are kept by subtree with it, and `lsp` keeps
//! what it makes of them by their `Arc`. (The analysis cache keeps its entries in the
//! order of the states instead, matched by address at both ends: see `analysis::cache`.)

use std::sync::Arc;

use rustc_hash::FxHashMap;

pub(crate) struct ByIdentity<K, V> {
    entries: FxHashMap<usize, Entry<K, V>>,
    pass: u64,
    /// Entries used in this pass.
    used: usize,
}

struct Entry<K, V> {
    key: Arc<K>,
    value: V,
    pass: u64,
}

impl<K, V> Default for ByIdentity<K, V> {
    fn default() -> Self {
        ByIdentity { entries: FxHashMap::default(), pass: 0, used: 0 }
    }
}

impl<K, V> ByIdentity<K, V> {
    fn address(key: &Arc<K>) -> usize {
        Arc::as_ptr(key) as usize
    }

    /// Starts a pass: the entries not used before [`ByIdentity::end`] are then dropped.
    pub(crate) fn begin(&mut self) {
        self.pass += 1;
        self.used = 0;
    }

    /// The value kept for this very piece, if any (used in this pass).
    pub(crate) fn get(&mut self, key: &Arc<K>) -> Option<&V> {
        let entry = self.entries.get_mut(&Self::address(key))?;
        debug_assert!(Arc::ptr_eq(&entry.key, key));
        if entry.pass != self.pass {
            entry.pass = self.pass;
            self.used += 1;
        }
        Some(&entry.value)
    }

    /// Keeps `value` for `key` (used in this pass).
    pub(crate) fn insert(&mut self, key: Arc<K>, value: V) {
        let pass = self.pass;
        let old = self.entries.insert(Self::address(&key), Entry { key, value, pass });
        if old.is_none_or(|e| e.pass != pass) {
            self.used += 1;
        }
    }

    /// Ends a pass: drops the entries it did not use.
    pub(crate) fn end(&mut self) {
        if self.entries.len() > self.used {
            let pass = self.pass;
            self.entries.retain(|_, e| e.pass == pass);
        }
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
        self.used = 0;
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_not_used_in_a_pass_are_dropped_at_its_end() {
        let (a, b, c) = (Arc::new(1), Arc::new(1), Arc::new(2));
        let mut map = ByIdentity::default();
        map.begin();
        map.insert(Arc::clone(&a), "a");
        map.insert(Arc::clone(&b), "b");
        map.end();
        assert_eq!(map.len(), 2);
        map.begin();
        // Equal values, different pieces.
        assert_eq!(map.get(&a), Some(&"a"));
        assert_eq!(map.get(&a), Some(&"a"));
        assert_eq!(map.get(&c), None);
        map.insert(Arc::clone(&c), "c");
        map.end();
        assert_eq!(map.len(), 2);
        map.begin();
        assert_eq!(map.get(&b), None);
        assert_eq!(map.get(&c), Some(&"c"));
        map.end();
        assert_eq!(map.len(), 1);
    }
}
