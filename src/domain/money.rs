//! Money in integer fen (分): parsing what users type and showing it as ¥1,234.50.
//! No floating point anywhere in money paths.

use super::DomainError;

/// An amount in fen (1 yuan = 100 fen).
pub type Fen = i64;

/// The largest amount accepted: ¥100,000,000.00.
pub const MAX_FEN: Fen = 10_000_000_000;

/// Parses `1234.5`, `¥1,234.50`, `1234` into fen. Negative amounts, more than two decimals,
/// letters and absurdly large amounts are refused.
pub fn parse_fen(text: &str, field: &'static str) -> Result<Fen, DomainError> {
    let bad = |reason| DomainError::Invalid { field, reason };
    let s: String = text
        .trim()
        .trim_start_matches(['¥', '￥'])
        .chars()
        .filter(|c| !matches!(c, ',' | '\u{ff0c}' | ' '))
        .collect();
    if s.is_empty() {
        return Err(bad("err.required"));
    }
    if s.starts_with('-') {
        return Err(bad("err.money_negative"));
    }
    let (yuan, cents) = match s.split_once('.') {
        Some((y, c)) => (y, c),
        None => (s.as_str(), ""),
    };
    if yuan.is_empty() && cents.is_empty() {
        return Err(bad("err.money_format"));
    }
    if !yuan.chars().all(|c| c.is_ascii_digit()) || !cents.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad("err.money_format"));
    }
    if cents.len() > 2 {
        return Err(bad("err.money_decimals"));
    }
    if yuan.len() > 12 {
        return Err(bad("err.money_too_large"));
    }
    let yuan: Fen = if yuan.is_empty() {
        0
    } else {
        yuan.parse().map_err(|_| bad("err.money_format"))?
    };
    let cents: Fen = match cents.len() {
        0 => 0,
        1 => cents.parse::<Fen>().map_err(|_| bad("err.money_format"))? * 10,
        _ => cents.parse().map_err(|_| bad("err.money_format"))?,
    };
    let fen = yuan
        .checked_mul(100)
        .and_then(|f| f.checked_add(cents))
        .ok_or_else(|| bad("err.money_too_large"))?;
    if fen > MAX_FEN {
        return Err(bad("err.money_too_large"));
    }
    Ok(fen)
}

/// Parses an optional amount: empty text is `None`.
pub fn parse_fen_opt(text: &str, field: &'static str) -> Result<Option<Fen>, DomainError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_fen(text, field).map(Some)
    }
}

/// `¥1,234.50` (negative amounts as `-¥12.00`).
pub fn format_fen(fen: Fen) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let (yuan, cents) = (abs / 100, abs % 100);
    let digits = yuan.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{cents:02}")
}

/// The amount as typed into a form: `1234.50` (no symbol, no grouping).
pub fn edit_fen(fen: Fen) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// Shares in basis points (1 % = 100, the whole = 10,000).
pub type Bp = i64;

/// The whole: 100 %.
pub const WHOLE_BP: Bp = 10_000;

/// Parses a percentage with up to two decimals (`60`, `33.33`) into basis points.
pub fn parse_percent(text: &str, field: &'static str) -> Result<Bp, DomainError> {
    let bad = |reason| DomainError::Invalid { field, reason };
    let s = text.trim().trim_end_matches(['%', '%']).trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad("err.percent_format"));
    }
    if frac.len() > 2 || whole.len() > 3 {
        return Err(bad("err.percent_format"));
    }
    let whole: Bp = whole.parse().map_err(|_| bad("err.percent_format"))?;
    let frac: Bp = match frac.len() {
        0 => 0,
        1 => frac.parse::<Bp>().map_err(|_| bad("err.percent_format"))? * 10,
        _ => frac.parse().map_err(|_| bad("err.percent_format"))?,
    };
    let bp = whole * 100 + frac;
    if !(1..=WHOLE_BP).contains(&bp) {
        return Err(bad("err.percent_range"));
    }
    Ok(bp)
}

/// `60%`, `33.33%`.
pub fn format_percent(bp: Bp) -> String {
    if bp % 100 == 0 {
        format!("{}%", bp / 100)
    } else {
        format!("{}.{:02}%", bp / 100, bp % 100)
    }
    .replace(".0%", "%")
}

/// Splits `amount` by `shares` (basis points adding up to 10,000) so that the parts add up to
/// `amount` exactly: each part is rounded down to the fen, and the fen left over go one each to
/// the parts with the largest remainders (earlier parties first on ties).
pub fn allocate(amount: Fen, shares: &[Bp]) -> Vec<Fen> {
    if shares.is_empty() {
        return Vec::new();
    }
    let total: i128 = shares.iter().map(|&s| i128::from(s)).sum();
    if total <= 0 {
        return vec![0; shares.len()];
    }
    let amount = i128::from(amount);
    let mut parts: Vec<(usize, i128, i128)> = shares
        .iter()
        .enumerate()
        .map(|(i, &s)| {
            let exact = amount * i128::from(s);
            (i, exact / total, exact % total)
        })
        .collect();
    let given: i128 = parts.iter().map(|p| p.1).sum();
    let mut left = amount - given;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].2.cmp(&parts[a].2).then(a.cmp(&b)));
    for i in order {
        if left <= 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|p| Fen::try_from(p.1).unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parsing_amounts() {
        assert_eq!(parse_fen("1234.5", "f"), Ok(123_450));
        assert_eq!(parse_fen("¥1,234.50", "f"), Ok(123_450));
        assert_eq!(parse_fen("1000.01", "f"), Ok(100_001));
        assert_eq!(parse_fen("0.5", "f"), Ok(50));
        assert_eq!(parse_fen(".5", "f"), Ok(50));
        assert_eq!(parse_fen("12", "f"), Ok(1200));
        assert!(parse_fen("-5", "f").is_err());
        assert!(parse_fen("1.234", "f").is_err());
        assert!(parse_fen("12元", "f").is_err());
        assert!(parse_fen("1e3", "f").is_err());
        assert!(parse_fen("", "f").is_err());
        assert!(parse_fen("99999999999999", "f").is_err());
    }

    #[test]
    fn formatting_amounts() {
        assert_eq!(format_fen(123_450), "¥1,234.50");
        assert_eq!(format_fen(5), "¥0.05");
        assert_eq!(format_fen(100_000_000), "¥1,000,000.00");
        assert_eq!(format_fen(-1200), "-¥12.00");
        assert_eq!(edit_fen(100_001), "1000.01");
    }

    #[test]
    fn percentages() {
        assert_eq!(parse_percent("60", "p"), Ok(6000));
        assert_eq!(parse_percent("33.33%", "p"), Ok(3333));
        assert_eq!(parse_percent("0.5", "p"), Ok(50));
        assert!(parse_percent("0", "p").is_err());
        assert!(parse_percent("101", "p").is_err());
        assert!(parse_percent("1.234", "p").is_err());
        assert_eq!(format_percent(6000), "60%");
        assert_eq!(format_percent(3333), "33.33%");
        assert_eq!(format_percent(50), "0.50%");
    }

    #[test]
    fn allocation_example_from_the_issue() {
        // ¥1,000.01 split 60/40: ¥600.01 and ¥400.00.
        assert_eq!(allocate(100_001, &[6000, 4000]), vec![60_001, 40_000]);
        // Thirds: the extra fen goes to the first parties.
        assert_eq!(allocate(100, &[3334, 3333, 3333]), vec![34, 33, 33]);
        assert_eq!(allocate(0, &[5000, 5000]), vec![0, 0]);
        assert!(allocate(100, &[]).is_empty());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        fn shares() -> impl Strategy<Value = Vec<Bp>> {
            proptest::collection::vec(1..=WHOLE_BP, 1..8)
                .prop_map(|raw| {
                    // Scale arbitrary weights to shares that add up to exactly 10,000.
                    let total: i64 = raw.iter().sum();
                    let mut s: Vec<Bp> =
                        raw.iter().map(|r| (r * WHOLE_BP / total).max(1)).collect();
                    let diff = WHOLE_BP - s.iter().sum::<i64>();
                    s[0] += diff;
                    s
                })
                .prop_filter("positive shares", |s| s.iter().all(|&x| x > 0))
        }

        proptest! {
            #[test]
            fn parts_always_add_up_to_the_whole(amount in 0..MAX_FEN, shares in shares()) {
                let parts = allocate(amount, &shares);
                prop_assert_eq!(parts.len(), shares.len());
                prop_assert_eq!(parts.iter().sum::<Fen>(), amount);
                for (part, share) in parts.iter().zip(&shares) {
                    // Each part is within one fen of its exact share.
                    let exact = i128::from(amount) * i128::from(*share);
                    let lower = exact / i128::from(WHOLE_BP);
                    prop_assert!(i128::from(*part) == lower || i128::from(*part) == lower + 1);
                }
            }

            #[test]
            fn format_and_parse_round_trip(fen in 0..MAX_FEN) {
                prop_assert_eq!(parse_fen(&format_fen(fen), "f"), Ok(fen));
                prop_assert_eq!(parse_fen(&edit_fen(fen), "f"), Ok(fen));
            }
        }
    }
}
