//! The batches the page has checked, kept in memory for their downloads (the PDF with the
//! names typed into the page is made when it is asked for): bounded in number and in forms,
//! dropped when unused for a while. The uploads themselves are never kept.

use std::collections::HashMap;
use std::hash::{BuildHasher as _, Hasher as _, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::batch::Loaded;
use crate::summary::FailedInput;

/// The most batches kept.
pub const MAX_BATCHES: usize = 64;
/// The most forms kept across all batches (a form's report is a few kilobytes).
pub const MAX_KEPT_FORMS: usize = 20_000;
/// How long a batch is kept after its last use.
pub const IDLE: Duration = Duration::from_secs(2 * 60 * 60);

/// One upload, checked.
#[derive(Debug)]
pub struct Batch {
    /// Its inputs that were read, in upload order, with their forms.
    pub inputs: Vec<Loaded<'static>>,
    /// Its inputs that could not be read, in upload order.
    pub failures: Vec<FailedInput>,
    /// Each form, as (input, form within it), in the page's order.
    pub forms: Vec<(usize, usize)>,
}

struct Kept {
    batch: Arc<Batch>,
    used: Instant,
}

/// The batches, by id.
#[derive(Default)]
pub struct Store {
    kept: Mutex<HashMap<String, Kept>>,
    counter: AtomicU64,
    keys: RandomState,
}

impl Store {
    /// A new id: 128 bits that no other page can guess (keyed SipHash of a counter, with the
    /// process's random keys).
    fn new_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let half = |salt: u64| {
            let mut h = self.keys.build_hasher();
            h.write_u64(n);
            h.write_u64(salt);
            h.finish()
        };
        format!("{:016x}{:016x}", half(0x9e37_79b9), half(0x7f4a_7c15))
    }

    /// Keeps `batch` and returns its id and the batch as kept, first dropping batches idle
    /// for [`IDLE`], then the least recently used ones until there is room.
    pub fn insert(&self, batch: Batch) -> (String, Arc<Batch>) {
        let id = self.new_id();
        let now = Instant::now();
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|_, k| now.duration_since(k.used) < IDLE);
        let forms = |kept: &HashMap<String, Kept>| -> usize {
            kept.values().map(|k| k.batch.forms.len()).sum()
        };
        while !kept.is_empty()
            && (kept.len() >= MAX_BATCHES || forms(&kept) + batch.forms.len() > MAX_KEPT_FORMS)
        {
            let oldest = kept
                .iter()
                .min_by_key(|(_, k)| k.used)
                .map(|(id, _)| id.clone())
                .expect("not empty");
            kept.remove(&oldest);
        }
        let batch = Arc::new(batch);
        kept.insert(
            id.clone(),
            Kept {
                batch: batch.clone(),
                used: now,
            },
        );
        (id, batch)
    }

    /// The batch `id`, if it is still kept; its use is recorded.
    pub fn get(&self, id: &str) -> Option<Arc<Batch>> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let k = kept.get_mut(id)?;
        if k.used.elapsed() >= IDLE {
            kept.remove(id);
            return None;
        }
        k.used = Instant::now();
        Some(k.batch.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(forms: usize) -> Batch {
        Batch {
            inputs: vec![],
            failures: vec![],
            forms: vec![(0, 0); forms],
        }
    }

    #[test]
    fn ids_are_distinct_and_unguessable_in_form() {
        let store = Store::default();
        let a = store.insert(batch(1)).0;
        let b = store.insert(batch(1)).0;
        assert_ne!(a, b);
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(store.get(&a).is_some());
        assert!(store.get("0123").is_none());
    }

    #[test]
    fn the_least_recently_used_batches_make_room() {
        let store = Store::default();
        let (first, _) = store.insert(batch(MAX_KEPT_FORMS / 2));
        let (second, _) = store.insert(batch(MAX_KEPT_FORMS / 2));
        // Using the first makes the second the oldest.
        assert!(store.get(&first).is_some());
        let (third, _) = store.insert(batch(10));
        assert!(store.get(&first).is_some());
        assert!(store.get(&second).is_none());
        assert!(store.get(&third).is_some());
        let ids: Vec<String> = (0..MAX_BATCHES + 5)
            .map(|_| store.insert(batch(1)).0)
            .collect();
        assert!(store.get(&ids[0]).is_none());
        assert!(store.get(ids.last().unwrap()).is_some());
        assert!(store.kept.lock().unwrap().len() <= MAX_BATCHES);
    }
}
