//! A parallel map whose results are consumed in input order, with a bounded number of
//! results in flight: workers may run ahead of the consumer by at most `window` items,
//! so memory is bounded by the largest items, not by their sum.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

struct State<R> {
    /// The next item a worker may take.
    next: usize,
    /// How many results the consumer has taken.
    consumed: usize,
    /// Finished results not consumed yet.
    ready: BTreeMap<usize, R>,
    /// The consumer stopped early: workers take no more items.
    stopped: bool,
    /// A worker panicked: the consumer stops waiting, and the scope re-raises the panic.
    panicked: bool,
}

/// Tells the consumer when a worker unwinds, so it does not wait for a result that
/// will never come.
struct PanicAlarm<'a, R> {
    state: &'a Mutex<State<R>>,
    done: &'a Condvar,
}

impl<R> Drop for PanicAlarm<'_, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.state).panicked = true;
            self.done.notify_all();
        }
    }
}

/// Map `work` over `items` on `threads` threads, handing each result to `consume` in
/// the order of `items`, on the calling thread. At most `window` items are being worked
/// on or waiting to be consumed at any time. `consume` may stop the run early with
/// `ControlFlow::Break`, whose value is returned.
pub fn map_in_order<T, R, B>(
    items: &[T],
    threads: usize,
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    mut consume: impl FnMut(R) -> ControlFlow<B>,
) -> Option<B>
where
    T: Sync,
    R: Send,
{
    let window = window.max(1);
    let threads = threads.clamp(1, window).min(items.len().max(1));
    let state = Mutex::new(State { next: 0, consumed: 0, ready: BTreeMap::new(), stopped: false, panicked: false });
    // Workers wait on `room` for the window to move; the consumer on `done` for a result.
    let room = Condvar::new();
    let done = Condvar::new();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let _alarm = PanicAlarm { state: &state, done: &done };
                loop {
                    let index = {
                        let mut guard = lock(&state);
                        while !guard.stopped && guard.next < items.len() && guard.next >= guard.consumed + window {
                            guard = room.wait(guard).unwrap_or_else(PoisonError::into_inner);
                        }
                        if guard.stopped || guard.next >= items.len() {
                            return;
                        }
                        guard.next += 1;
                        guard.next - 1
                    };
                    let Some(item) = items.get(index) else {
                        return;
                    };
                    let result = work(item);
                    lock(&state).ready.insert(index, result);
                    done.notify_one();
                }
            });
        }
        let mut outcome = None;
        for index in 0..items.len() {
            let result = {
                let mut guard = lock(&state);
                loop {
                    if let Some(result) = guard.ready.remove(&index) {
                        guard.consumed = index + 1;
                        break Some(result);
                    }
                    if guard.panicked {
                        break None;
                    }
                    guard = done.wait(guard).unwrap_or_else(PoisonError::into_inner);
                }
            };
            let Some(result) = result else {
                break;
            };
            room.notify_all();
            if let ControlFlow::Break(value) = consume(result) {
                outcome = Some(value);
                break;
            }
        }
        let mut guard = lock(&state);
        guard.stopped = true;
        // Results finished after an early stop are dropped here, not by the caller.
        guard.ready.clear();
        drop(guard);
        room.notify_all();
        outcome
    })
}

/// A poisoned lock only means a worker panicked; the scope re-raises that panic.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::ops::ControlFlow;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::map_in_order;

    #[test]
    fn results_come_in_order_whatever_the_scheduling() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        // Later items finish first: the consumer must still see them in order.
        let outcome: Option<()> = map_in_order(
            &items,
            4,
            8,
            |&n| {
                std::thread::sleep(std::time::Duration::from_micros((200 - n) * 5));
                n * 2
            },
            |result| {
                seen.push(result);
                ControlFlow::Continue(())
            },
        );
        assert_eq!(outcome, None);
        assert_eq!(seen, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn workers_never_run_further_ahead_than_the_window() {
        let items: Vec<usize> = (0..100).collect();
        let started = AtomicUsize::new(0);
        let mut consumed = 0;
        let window = 3;
        map_in_order::<_, _, ()>(
            &items,
            2,
            window,
            |&n| {
                started.fetch_add(1, Ordering::SeqCst);
                n
            },
            |n| {
                // When the consumer takes item n, at most `window` items past it can have started.
                assert!(started.load(Ordering::SeqCst) <= n + 1 + window);
                consumed += 1;
                ControlFlow::Continue(())
            },
        );
        assert_eq!(consumed, items.len());
    }

    #[test]
    fn the_consumer_can_stop_early() {
        let items: Vec<usize> = (0..1_000).collect();
        let started = AtomicUsize::new(0);
        let outcome = map_in_order(
            &items,
            2,
            4,
            |&n| {
                started.fetch_add(1, Ordering::SeqCst);
                n
            },
            |n| if n == 10 { ControlFlow::Break("stopped") } else { ControlFlow::Continue(()) },
        );
        assert_eq!(outcome, Some("stopped"));
        assert!(started.load(Ordering::SeqCst) <= 10 + 1 + 4);
    }

    #[test]
    fn a_panicking_worker_does_not_hang_the_consumer() {
        let items: Vec<usize> = (0..50).collect();
        let outcome = std::panic::catch_unwind(|| {
            map_in_order::<_, _, ()>(
                &items,
                2,
                4,
                |&n| {
                    assert_ne!(n, 7, "worker fails on purpose");
                    n
                },
                |_| ControlFlow::Continue(()),
            )
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn nothing_to_do() {
        let items: Vec<usize> = Vec::new();
        let outcome: Option<()> = map_in_order(&items, 2, 4, |&n| n, |_| ControlFlow::Continue(()));
        assert_eq!(outcome, None);
    }
}
