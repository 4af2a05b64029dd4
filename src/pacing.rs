//! Connect's API quota, as one execution environment shares it with every other (docs/quota.md).
//!
//! The quota (2 calls per second with a burst of 5, by default, per account and Region) is shared
//! by every environment of this function, every other function and every instance, and no
//! environment can see what the others send. So each one paces its own bulk calls (SQS,
//! EventBridge) the way TCP paces its sending: at most its share of the quota (the ceiling), cut
//! by [`DECREASE`] when Connect throttles, raised back by a constant amount per second while
//! calls succeed (AIMD). A waiting caller (a flow, HTTP, direct) is never paced: its calls go at
//! once, and retry throttling with jittered backoff for as long as its deadline allows
//! ([`Backoff`]).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// A rate in calls per second, kept in thousandths so that settings compare exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct CallsPerSecond(u64);

impl CallsPerSecond {
    /// The highest rate a setting may name.
    pub const MAX: CallsPerSecond = CallsPerSecond(10_000 * 1000);
    /// The lowest: one call every 1,000 seconds.
    pub const MIN: CallsPerSecond = CallsPerSecond(1);

    /// A decimal number of calls per second (`2`, `0.7`), from [`Self::MIN`] to [`Self::MAX`],
    /// with at most three decimals.
    pub fn parse(text: &str) -> Option<CallsPerSecond> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let bad_fraction = text.contains('.') && fraction.is_empty() || fraction.len() > 3;
        if whole.is_empty() || !digits(whole) || !digits(fraction) || bad_fraction {
            return None;
        }
        let whole: u64 = whole.parse().ok()?;
        let thousandths: u64 = format!("{fraction:0<3}").parse().ok()?;
        let rate = CallsPerSecond(whole.checked_mul(1000)?.checked_add(thousandths)?);
        (Self::MIN..=Self::MAX).contains(&rate).then_some(rate)
    }

    pub fn from_f64(rate: f64) -> CallsPerSecond {
        let thousandths = (rate * 1000.0).round().clamp(1.0, Self::MAX.0 as f64);
        CallsPerSecond(thousandths as u64)
    }

    pub fn get(self) -> f64 {
        self.0 as f64 / 1000.0
    }
}

impl std::fmt::Display for CallsPerSecond {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.get())
    }
}

/// The share of the account's quota that bulk calls of all environments together take at most,
/// when the quota is known (`CONNECT_QUOTA_PER_SECOND`): the rest is left to waiting callers.
pub const BULK_SHARE: f64 = 0.9;
/// What a throttled environment keeps of its rate (CUBIC's and the SDK's adaptive mode's 0.7).
pub const DECREASE: f64 = 0.5;
/// How long the rate takes to climb from nothing back to the ceiling while calls succeed: the
/// additive increase is `ceiling / RECOVERY` per second.
pub const RECOVERY: Duration = Duration::from_secs(60);
/// The lowest rate throttling cuts to, as a share of the ceiling.
pub const FLOOR_SHARE: f64 = 0.05;
/// The shortest time a call takes and still can be answered; a bulk call whose turn comes later
/// than this before the deadline is not started.
pub const MIN_CALL_TIME: Duration = Duration::from_millis(250);

/// One environment's pace for bulk calls: evenly spaced calls at the current rate, which Connect's
/// throttling cuts and success raises, never above the ceiling nor below the floor.
#[derive(Debug)]
pub struct Pacer {
    ceiling: f64,
    floor: f64,
    state: Mutex<PaceState>,
}

#[derive(Debug)]
struct PaceState {
    /// Calls per second now.
    rate: f64,
    /// When the next call may start.
    next: Instant,
    /// The last cut: one throttling episode cuts once (as TCP cuts once per window), however
    /// many calls in flight it throttled.
    last_cut: Option<Instant>,
    /// The throttled attempts seen so far ([`ThrottleCounter`]), to tell a new one.
    throttles_seen: u64,
}

/// The pace's answer when a call's turn would come too late for its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotInTime;

impl Pacer {
    pub fn new(ceiling: CallsPerSecond) -> Pacer {
        let ceiling = ceiling.get();
        Pacer {
            ceiling,
            floor: ceiling * FLOOR_SHARE,
            state: Mutex::new(PaceState {
                rate: ceiling,
                next: Instant::now(),
                last_cut: None,
                throttles_seen: 0,
            }),
        }
    }

    /// The rate now, in calls per second.
    pub fn rate(&self) -> f64 {
        self.lock().rate
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PaceState> {
        // A panic while holding the lock leaves a consistent state (plain numbers).
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits for this call's turn. `budget`: how long from now the call may still start and be
    /// answered (`None`: no deadline); a turn later than `budget - MIN_CALL_TIME` is not taken,
    /// and the call is not started (its record goes back to its queue).
    pub async fn turn(&self, budget: Option<Duration>) -> Result<(), NotInTime> {
        let now = Instant::now();
        let at = {
            let mut state = self.lock();
            let at = state.next.max(now);
            if let Some(budget) = budget
                && at + MIN_CALL_TIME > now + budget
            {
                return Err(NotInTime);
            }
            state.next = at + interval(state.rate);
            at
        };
        tokio::time::sleep_until(at).await;
        Ok(())
    }

    /// A call succeeded: the rate climbs by `ceiling / RECOVERY` per second of calls at it.
    pub fn succeeded(&self) {
        let mut state = self.lock();
        let step = self.ceiling / RECOVERY.as_secs_f64() / state.rate;
        state.rate = (state.rate + step).min(self.ceiling);
    }

    /// Connect throttled a call (any of this environment's, bulk or not): the rate is cut, once
    /// per episode, and the next turn moves back to one interval of the new rate from now.
    pub fn throttled(&self) {
        let now = Instant::now();
        let mut state = self.lock();
        let episode = interval(state.rate).max(Duration::from_secs(1));
        if state.last_cut.is_some_and(|at| now < at + episode) {
            return;
        }
        state.last_cut = Some(now);
        state.rate = (state.rate * DECREASE).max(self.floor);
        let next = now + interval(state.rate);
        state.next = state.next.max(next);
    }

    /// After a call: reads the throttled attempts `counter` saw (the SDK's own retries
    /// included). One more since the last look cuts the rate; none, after a call that
    /// `succeeded`, raises it.
    pub fn observe(&self, counter: &ThrottleCounter, succeeded: bool) {
        let total = counter.total();
        let new = {
            let mut state = self.lock();
            let new = total > state.throttles_seen;
            state.throttles_seen = state.throttles_seen.max(total);
            new
        };
        if new {
            self.throttled();
        } else if succeeded {
            self.succeeded();
        }
    }
}

fn interval(rate: f64) -> Duration {
    Duration::from_secs_f64(1.0 / rate)
}

/// Every attempt Connect throttled (HTTP 429), the SDK's own retries included, counted by the
/// Connect client's interceptor: a call the SDK's retry saved was still throttled once, and the
/// pace must hear of it.
#[derive(Debug, Default)]
pub struct ThrottleCounter(AtomicU64);

impl ThrottleCounter {
    pub fn add(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    pub fn total(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A waiting caller's retries of throttling: full jitter (a random wait from zero to the cap,
/// which doubles from [`Backoff::BASE`] up to [`Backoff::CAP`]), as the AWS architecture blog's
/// "Exponential Backoff And Jitter" recommends, so that callers throttled together do not come
/// back together.
#[derive(Debug)]
pub struct Backoff {
    attempt: u32,
    seed: u64,
}

impl Backoff {
    pub const BASE: Duration = Duration::from_millis(100);
    pub const CAP: Duration = Duration::from_secs(1);

    pub fn new() -> Backoff {
        use std::hash::{BuildHasher, Hasher};
        // A random seed from the standard library's per-process random keys: no RNG crate.
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        Backoff {
            attempt: 0,
            seed: hasher.finish() | 1,
        }
    }

    /// The wait before the next retry.
    pub fn next_wait(&mut self) -> Duration {
        let cap = Self::BASE
            .saturating_mul(1 << self.attempt.min(16))
            .min(Self::CAP);
        self.attempt += 1;
        // xorshift64: uniform enough for a jitter.
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        let unit = (self.seed >> 11) as f64 / (1u64 << 53) as f64;
        cap.mul_f64(unit)
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_as_decimals_within_bounds() {
        assert_eq!(
            CallsPerSecond::parse("2").map(CallsPerSecond::get),
            Some(2.0)
        );
        assert_eq!(
            CallsPerSecond::parse("0.7").map(CallsPerSecond::get),
            Some(0.7)
        );
        assert_eq!(
            CallsPerSecond::parse("0.001").map(CallsPerSecond::get),
            Some(0.001)
        );
        for bad in [
            "", "0", "0.0", ".5", "1.", "1.2345", "-1", "x", "10001", "1e3", " 1",
        ] {
            assert_eq!(CallsPerSecond::parse(bad), None, "{bad:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn turns_are_evenly_spaced_at_the_rate() {
        let pacer = Pacer::new(CallsPerSecond::parse("2").unwrap());
        let start = Instant::now();
        for _ in 0..5 {
            pacer.turn(None).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::from_millis(2000));
    }

    #[tokio::test(start_paused = true)]
    async fn a_turn_past_the_budget_is_refused_at_once_and_takes_no_slot() {
        let pacer = Pacer::new(CallsPerSecond::parse("1").unwrap());
        pacer.turn(None).await.unwrap();
        let start = Instant::now();
        assert_eq!(
            pacer.turn(Some(Duration::from_millis(1100))).await,
            Err(NotInTime)
        );
        assert_eq!(start.elapsed(), Duration::ZERO, "refused without waiting");
        assert_eq!(pacer.turn(Some(Duration::from_millis(1300))).await, Ok(()));
        assert_eq!(
            start.elapsed(),
            Duration::from_secs(1),
            "the slot was still free"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn throttling_cuts_once_per_episode_and_success_climbs_back_to_the_ceiling() {
        let pacer = Pacer::new(CallsPerSecond::parse("1").unwrap());
        pacer.throttled();
        pacer.throttled();
        assert!(
            (pacer.rate() - DECREASE).abs() < 1e-9,
            "one cut: {}",
            pacer.rate()
        );
        tokio::time::advance(Duration::from_secs(2)).await;
        pacer.throttled();
        assert!((pacer.rate() - DECREASE * DECREASE).abs() < 1e-9);
        for _ in 0..1000 {
            pacer.throttled();
            tokio::time::advance(Duration::from_secs(30)).await;
        }
        assert!(
            (pacer.rate() - FLOOR_SHARE).abs() < 1e-9,
            "never below the floor"
        );
        // From the floor back to the ceiling, calling at the rate: about RECOVERY.
        let mut seconds = 0.0;
        while pacer.rate() < 1.0 {
            seconds += 1.0 / pacer.rate();
            pacer.succeeded();
        }
        let recovery = RECOVERY.as_secs_f64();
        assert!(
            (0.8 * recovery..=1.2 * recovery).contains(&seconds),
            "{seconds} s to climb back"
        );
        pacer.succeeded();
        assert_eq!(pacer.rate(), 1.0, "never above the ceiling");
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttle_counted_by_the_sdk_s_retries_is_heard() {
        let pacer = Pacer::new(CallsPerSecond::parse("1").unwrap());
        let counter = ThrottleCounter::default();
        pacer.observe(&counter, true);
        assert_eq!(pacer.rate(), 1.0);
        counter.add();
        pacer.observe(&counter, true);
        assert!(pacer.rate() < 1.0);
    }

    #[test]
    fn backoff_waits_are_jittered_under_a_doubling_cap() {
        let mut backoff = Backoff::new();
        let waits: Vec<Duration> = (0..8).map(|_| backoff.next_wait()).collect();
        for (i, wait) in waits.iter().enumerate() {
            let cap = Backoff::BASE.saturating_mul(1 << i).min(Backoff::CAP);
            assert!(*wait <= cap, "{i}: {wait:?} over {cap:?}");
        }
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(distinct.len() > 4, "jittered: {waits:?}");
    }
}
