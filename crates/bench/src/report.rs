//! The figures of a run and how they are measured: latency percentiles, peak RSS (VmHWM),
//! CPU time from /proc, and the printed summary.

use crate::sampler::{Sample, peak_rate, timeline};
use crate::students::StepTimes;
use std::collections::BTreeMap;
use std::time::Duration;

/// Linux counts CPU time in ticks of 1/100 s (USER_HZ) on every common platform.
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU time so far: this process, and the machine's busy and total ticks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cpu {
    pub at: Option<std::time::Instant>,
    pub process_ticks: u64,
    pub machine_busy: u64,
    pub machine_total: u64,
}

pub fn cpu_now() -> Cpu {
    let process_ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which may hold spaces) start at field 3.
            let rest = s.rsplit_once(')')?.1.to_string();
            let fields: Vec<u64> = rest
                .split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|f| f.parse().ok())
                .collect();
            Some(fields.iter().sum())
        })
        .unwrap_or(0);
    let (machine_busy, machine_total) = std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| {
            let line = s.lines().next()?.to_string();
            let v: Vec<u64> = line
                .split_whitespace()
                .skip(1)
                .filter_map(|f| f.parse().ok())
                .collect();
            let total: u64 = v.iter().take(8).sum();
            let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
            Some((total.saturating_sub(idle), total))
        })
        .unwrap_or((0, 0));
    Cpu {
        at: Some(std::time::Instant::now()),
        process_ticks,
        machine_busy,
        machine_total,
    }
}

impl Cpu {
    /// CPU seconds this process used since `before`.
    pub fn process_seconds_since(&self, before: &Cpu) -> f64 {
        self.process_ticks.saturating_sub(before.process_ticks) as f64 / TICKS_PER_SECOND
    }

    /// Cores this process kept busy on average since `before`.
    pub fn process_cores_since(&self, before: &Cpu) -> f64 {
        let wall = match (self.at, before.at) {
            (Some(a), Some(b)) => a.saturating_duration_since(b).as_secs_f64(),
            _ => 0.0,
        };
        self.process_seconds_since(before) / wall.max(0.001)
    }

    /// Share of the machine's CPU time that was busy since `before`.
    pub fn machine_busy_since(&self, before: &Cpu) -> f64 {
        let total = self.machine_total.saturating_sub(before.machine_total);
        let busy = self.machine_busy.saturating_sub(before.machine_busy);
        busy as f64 / (total.max(1)) as f64
    }
}

/// A `/proc/self/status` field in KiB (`VmHWM`: peak resident set; `VmRSS`: now).
pub fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The `p`-th percentile (0–100) of sorted durations, nearest rank.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Everything one run measured.
#[derive(Debug, Default)]
pub struct Figures {
    pub title: String,
    pub database: String,
    pub timed_out: bool,
    pub students_started: u64,
    pub students_finished: u64,
    pub failures: BTreeMap<&'static str, u64>,
    pub offered: u64,
    pub latencies: Vec<Duration>,
    pub steps: Vec<StepTimes>,
    /// The names of the script's inputs.
    pub labels: &'static [&'static str],
    pub fetch_waits: Vec<Duration>,
    /// First update offered → last reply received.
    pub busy: Duration,
    /// First update offered → last update offered.
    pub offering: Duration,
    /// First update offered → last student arrived.
    pub arrivals: Duration,
    /// Steady mode: the updates a second the arriving students ask of the bot.
    pub demand: Option<f64>,
    pub inbox_processed: i64,
    pub outbox: Vec<(i64, i64)>,
    /// Edits still waiting in the outbox at the end (tidying yields to answers).
    pub edits_waiting: i64,
    /// Deliveries the transports accepted during the run.
    pub delivered: u64,
    pub chats: i64,
    pub db_bytes: u64,
    /// Size of the migrated, empty database (PostgreSQL's catalogs are about 7.5 MiB).
    pub db_empty_bytes: u64,
    pub db_detail: String,
    pub rss_start_kib: u64,
    pub rss_peak_kib: u64,
    pub cpu_seconds: f64,
    pub machine_busy: f64,
    /// Machine busy share in the second before the run (other work on the machine).
    pub machine_before: f64,
    pub count_429: u64,
    /// Sends Telegram's limits count (messages, edits, reactions, topics), as the fake saw them.
    pub counted_sends: u64,
    /// With Telegram's limits: the overall sends a second, for the floor of each wait.
    pub floor_rate: Option<f64>,
    pub calls: BTreeMap<String, u64>,
    pub emails: usize,
    pub samples: Vec<Sample>,
}

impl Figures {
    pub fn print(&mut self, full_timeline: bool) {
        self.latencies.sort();
        self.fetch_waits.sort();
        let answered = self.latencies.len();
        let busy = self.busy.as_secs_f64().max(0.001);
        let l = &self.latencies;
        let w = &self.fetch_waits;
        let sent = |status| {
            self.outbox
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| *n)
        };
        println!("\n== helpdesk-bench: {} ==", self.title);
        println!("database            {}", self.database);
        if self.timed_out {
            println!("!! TIMED OUT: the figures below cover the part that finished");
        }
        println!(
            "students            {} started, {} finished{}",
            self.students_started,
            self.students_finished,
            if self.failures.is_empty() {
                String::new()
            } else {
                format!(", failures {:?}", self.failures)
            }
        );
        println!(
            "updates             {} offered, {answered} answered, {} handled by the processor",
            self.offered, self.inbox_processed
        );
        if let Some(demand) = self.demand {
            println!(
                "demand              {demand:.0} updates/s: {} students arrived over {:.1} s, {} inputs each",
                self.students_started,
                self.arrivals.as_secs_f64(),
                self.steps.len()
            );
        }
        println!(
            "offered rate        {:.0} updates/s (first → last offer {:.1} s; a student waits for each answer)",
            self.offered as f64 / self.offering.as_secs_f64().max(0.001),
            self.offering.as_secs_f64()
        );
        println!(
            "throughput          {:.0} updates/s answered (first offer → last reply {:.1} s); best second {:.0}/s",
            answered as f64 / busy,
            busy,
            peak_rate(&self.samples)
        );
        println!(
            "reply latency       p50 {}  p95 {}  p99 {}  max {}",
            ms(percentile(l, 50.0)),
            ms(percentile(l, 95.0)),
            ms(percentile(l, 99.0)),
            ms(percentile(l, 100.0))
        );
        print!(
            "{}",
            crate::steps::table(
                &mut self.steps,
                self.labels,
                self.students_started,
                self.floor_rate
            )
        );
        println!(
            "  of it in getUpdates queue  p50 {}  p99 {}",
            ms(percentile(w, 50.0)),
            ms(percentile(w, 99.0))
        );
        println!(
            "memory              peak RSS {:.1} MiB (VmHWM; at start {:.1} MiB; bot, fake API and students in one process)",
            self.rss_peak_kib as f64 / 1024.0,
            self.rss_start_kib as f64 / 1024.0
        );
        println!(
            "CPU                 {:.1} s in this process ({:.2} cores); machine {:.0}% busy (before the run {:.0}%)",
            self.cpu_seconds,
            self.cpu_seconds / busy,
            self.machine_busy * 100.0,
            self.machine_before * 100.0
        );
        let chats = self.chats.max(1) as f64;
        let grown = self.db_bytes.saturating_sub(self.db_empty_bytes) as f64;
        println!(
            "database size       {:.1} MiB for {} chats = {:.1} KiB per chat; {:.1} KiB per chat over the empty database's {:.1} MiB ({})",
            self.db_bytes as f64 / 1_048_576.0,
            self.chats,
            self.db_bytes as f64 / chats / 1024.0,
            grown / chats / 1024.0,
            self.db_empty_bytes as f64 / 1_048_576.0,
            self.db_detail
        );
        println!(
            "outbox              {} delivered (rows deleted), {} failed, {} pending; {} e-mails written",
            self.delivered,
            sent(2),
            sent(0),
            self.emails
        );
        println!("429 answers         {}", self.count_429);
        print!(
            "{}",
            crate::steps::sends(
                self,
                self.floor_rate.unwrap_or(crate::steps::OVERALL_PER_SECOND)
            )
        );
        let calls: Vec<String> = self.calls.iter().map(|(m, n)| format!("{m} {n}")).collect();
        println!("Bot API calls       {}", calls.join(", "));
        let lines = if full_timeline { usize::MAX } else { 12 };
        print!("{}", timeline(&self.samples, lines));
    }
}
