//! Writes a seeded Pwned Passwords list: `gen_pwned OUT LINES [SEED] [hash|count] [crlf]`.

use std::io::BufWriter;

use passwords_breach::testgen::{generate, Order, Spec};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen_pwned OUT LINES [SEED] [hash|count] [crlf]");
        std::process::exit(2);
    }
    let lines: u64 = args[2].parse().expect("LINES is a number");
    let seed: u64 = args
        .get(3)
        .map_or(1, |s| s.parse().expect("SEED is a number"));
    let order = match args.get(4).map(String::as_str) {
        Some("count") => Order::Count,
        _ => Order::Hash,
    };
    let mut spec = Spec::new(lines, seed, order);
    spec.crlf = args.get(5).is_some_and(|s| s == "crlf");
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&args[1])?);
    let n = generate(&spec, &mut out)?;
    eprintln!("{n} lines written to {}", args[1]);
    Ok(())
}
