//! Work spread over the phone's cores: the checks of the documents of a first provisioning
//! are independent of each other and of the store, so each runs on the next free core.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The most threads one piece of work takes (a phone keeps the rest for its screen).
const MAX_THREADS: usize = 4;

/// How many threads the checks of a first provisioning use on this machine: its cores, at
/// most [`MAX_THREADS`].
pub fn worker_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS)
}

/// `work` applied to every item, on up to [`worker_threads`] threads, each taking the next item
/// not yet taken. The results come in the items' order; an item whose work panicked gives
/// `None` (the caller then takes its careful path). One item, or one core: no thread is made.
pub(crate) fn map_in_order<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<Option<R>> {
    let run = |item: T| catch_unwind(AssertUnwindSafe(|| work(item))).ok();
    let threads = worker_threads().min(items.len());
    if threads <= 1 {
        return items.into_iter().map(run).collect();
    }
    let slots: Vec<Mutex<(Option<T>, Option<R>)>> = items.into_iter().map(|item| Mutex::new((Some(item), None))).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(slot) = slots.get(index) else { break };
                let item = slot.lock().map_or(None, |mut slot| slot.0.take());
                let result = item.and_then(run);
                if let Ok(mut slot) = slot.lock() {
                    slot.1 = result;
                }
            });
        }
    });
    slots.into_iter().map(|slot| slot.into_inner().ok().and_then(|(_, result)| result)).collect()
}

#[cfg(test)]
mod tests {
    use super::map_in_order;

    #[test]
    fn results_come_in_the_items_order_and_a_panic_costs_only_its_item() {
        let items: Vec<u64> = (0..200).collect();
        let out = map_in_order(items, |n| {
            assert!(n != 17, "a hostile document");
            // Uneven work, so threads finish out of order.
            (0..(n % 7) * 1000).fold(n, |acc, i| acc.wrapping_add(i % 3)) - (0..(n % 7) * 1000).map(|i| i % 3).sum::<u64>()
        });
        assert_eq!(out.len(), 200);
        for (n, result) in out.into_iter().enumerate() {
            assert_eq!(result, (n != 17).then_some(n as u64), "item {n}");
        }
    }

    #[test]
    fn no_items_and_one_item_need_no_thread() {
        assert!(map_in_order(Vec::<u8>::new(), |n| n).is_empty());
        assert_eq!(map_in_order(vec![3u8], |n| n * 2), vec![Some(6)]);
    }
}
