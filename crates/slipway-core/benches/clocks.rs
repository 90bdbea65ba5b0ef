//! `make bench`: one evaluation pass over 100,000 open clocks counted in business calendars
//! (Europe/Berlin and America/New_York office hours with holidays), as `slipway watch` does it.
//! Prints its figures; asserts nothing about time.

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use slipway_core::{Calendar, ClockSpec, Holiday};

const CLOCKS: usize = 100_000;

fn holidays() -> Vec<Holiday> {
    [
        ("Christmas", "2026-12-24", "2026-12-26"),
        ("New year", "2027-01-01", "2027-01-01"),
    ]
    .iter()
    .map(|(n, a, b)| Holiday {
        name: n.to_string(),
        from: a.parse().unwrap(),
        to: b.parse().unwrap(),
    })
    .collect()
}

fn main() {
    let now: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 11, 23, 14, 30, 0).unwrap();
    let calendars = [
        Calendar::weekdays("Europe/Berlin", 9 * 60, 17 * 60, holidays()).unwrap(),
        Calendar::weekdays("America/New_York", 8 * 60, 18 * 60, holidays()).unwrap(),
    ];
    let started = Instant::now();
    let indexes: Vec<_> = calendars
        .iter()
        .map(|c| {
            c.index(
                now - chrono::Duration::days(400),
                now + chrono::Duration::days(400),
            )
        })
        .collect();
    let index_time = started.elapsed();

    // A deterministic spread: started over the last three weeks, goals from 1 h to 3 business
    // days, one clock in five with a finished hold and one in twenty on hold now.
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let clocks: Vec<(usize, ClockSpec)> = (0..CLOCKS)
        .map(|i| {
            let start = now - chrono::Duration::seconds(next(21 * 86_400) as i64);
            let mut pauses = Vec::new();
            if i % 5 == 0 {
                let from = start + chrono::Duration::seconds(next(86_400) as i64);
                pauses.push((
                    from,
                    Some(from + chrono::Duration::seconds(next(7_200) as i64)),
                ));
            }
            if i % 20 == 0 {
                pauses.push((now - chrono::Duration::minutes(30), None));
            }
            let spec = ClockSpec {
                key: format!("cr/{i}/total"),
                start,
                stop: None,
                goal: 3600 * (1 + next(24) as i64),
                pauses,
                warnings: vec![50, 75],
                repeat_every: Some(3600),
                acknowledged_at: None,
            };
            (i % 2, spec)
        })
        .collect();

    let mut runs: Vec<Duration> = Vec::new();
    let mut breached = 0;
    let mut crossings = 0;
    for _ in 0..21 {
        let started = Instant::now();
        breached = 0;
        crossings = 0;
        for (calendar, spec) in &clocks {
            let reading = spec.read(&indexes[*calendar], now);
            breached += usize::from(reading.breached());
            crossings += reading.crossed.len();
        }
        runs.push(started.elapsed());
    }
    runs.sort();
    let median = runs[runs.len() / 2];
    println!("{CLOCKS} open clocks (business calendars Europe/Berlin and America/New_York, holidays, pauses)");
    println!(
        "  calendar indexes, 800 days each, built in     {:>9.3} ms",
        index_time.as_secs_f64() * 1e3
    );
    println!(
        "  one evaluation pass, median of {}             {:>9.3} ms",
        runs.len(),
        median.as_secs_f64() * 1e3
    );
    println!(
        "  fastest / slowest pass                         {:>9.3} / {:.3} ms",
        runs[0].as_secs_f64() * 1e3,
        runs[runs.len() - 1].as_secs_f64() * 1e3
    );
    println!(
        "  per clock                                      {:>9.0} ns",
        median.as_nanos() as f64 / CLOCKS as f64
    );
    println!("  breached: {breached}; thresholds crossed: {crossings}");
}
