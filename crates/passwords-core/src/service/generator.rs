//! The word-based password generator behind API v1's `service/password`.
//!
//! A password is `strength + 2` words (at least three) drawn with the operating system's
//! CSPRNG from the EFF large word list (7,772 words of letters only, about 12.9 bits each),
//! each capitalised and joined. With `numbers` or `special`, `strength + 1` letters (at least
//! two) become look-alike digits (`a`→`4`, `e`→`3`, …) or symbols (`a`→`@`, `s`→`$`, `i`→`!`);
//! when a password has too few such letters, random digits or symbols are added at its ends.
//! The answer lists the plain words, as the reference app does.

use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::Rng;
use serde::Serialize;

/// The highest strength; larger requests are treated as this.
pub const MAX_STRENGTH: u8 = 4;
/// The shortest password handed out (the reference's rule).
const MIN_LENGTH: usize = 12;

/// Letters that become digits with `numbers`.
const DIGIT_LOOKALIKES: &[(char, char)] = &[
    ('a', '4'),
    ('e', '3'),
    ('i', '1'),
    ('l', '1'),
    ('o', '0'),
    ('s', '5'),
    ('t', '7'),
];
/// Letters that become symbols with `special` (ASCII only: every site accepts them).
const SPECIAL_LOOKALIKES: &[(char, char)] = &[('a', '@'), ('s', '$'), ('i', '!')];
/// Added when there are too few look-alike letters.
const EXTRA_DIGITS: &[char] = &['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const EXTRA_SPECIAL: &[char] = &['!', '$', '%', '&', '?', '#', '='];

/// One generated password, as `service/password` answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Generated {
    pub password: String,
    pub words: Vec<String>,
    pub strength: u8,
    pub numbers: bool,
    pub special: bool,
}

/// How many words a password of `strength` has.
pub fn word_count(strength: u8) -> usize {
    usize::from(strength.clamp(1, MAX_STRENGTH)) + 2
}

/// How many digits (with `numbers`) and symbols (with `special`) it has at least.
pub fn class_count(strength: u8) -> usize {
    usize::from(strength.clamp(1, MAX_STRENGTH)) + 1
}

/// The word list: the EFF large list without its four hyphenated entries.
fn words() -> impl Iterator<Item = &'static str> + Clone {
    eff_wordlist::large::LIST
        .iter()
        .map(|(_, w)| *w)
        .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Generates a password. `strength` above [`MAX_STRENGTH`] counts as the maximum.
pub fn generate(strength: u8, numbers: bool, special: bool) -> Generated {
    let strength = strength.min(MAX_STRENGTH);
    let list: Vec<&'static str> = words().collect();
    let mut rng = OsRng;
    loop {
        let picked: Vec<&str> = (0..word_count(strength))
            .map(|_| *list.choose(&mut rng).unwrap_or(&"password"))
            .collect();
        let mut chars: Vec<char> = picked.iter().flat_map(|w| capitalise(w)).collect();
        if chars.len() < MIN_LENGTH {
            continue;
        }
        let wanted = class_count(strength);
        if special {
            substitute(
                &mut chars,
                wanted,
                SPECIAL_LOOKALIKES,
                EXTRA_SPECIAL,
                &mut rng,
            );
        }
        if numbers {
            substitute(&mut chars, wanted, DIGIT_LOOKALIKES, EXTRA_DIGITS, &mut rng);
        }
        return Generated {
            password: chars.into_iter().collect(),
            words: picked.into_iter().map(str::to_owned).collect(),
            strength,
            numbers,
            special,
        };
    }
}

fn capitalise(word: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
}

/// Replaces `wanted` random look-alike letters; adds random extras at the ends (front,
/// back, front, …) when there are fewer.
fn substitute(
    chars: &mut Vec<char>,
    wanted: usize,
    lookalikes: &[(char, char)],
    extras: &[char],
    rng: &mut impl Rng,
) {
    let lookalike = |c: char| {
        lookalikes
            .iter()
            .find(|(from, _)| *from == c.to_ascii_lowercase())
            .map(|(_, to)| *to)
    };
    let mut positions: Vec<usize> = (0..chars.len())
        .filter(|&i| lookalike(chars[i]).is_some())
        .collect();
    positions.shuffle(rng);
    let replaced = positions.len().min(wanted);
    for &i in &positions[..replaced] {
        if let Some(to) = lookalike(chars[i]) {
            chars[i] = to;
        }
    }
    for n in 0..wanted - replaced {
        let c = extras[rng.gen_range(0..extras.len())];
        if n % 2 == 0 {
            chars.insert(0, c);
        } else {
            chars.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(s: &str, class: &[char]) -> usize {
        s.chars().filter(|c| class.contains(c)).count()
    }

    const SYMBOLS: &[char] = &['!', '$', '%', '&', '?', '#', '=', '@'];

    #[test]
    fn the_word_list_is_large_and_letters_only() {
        let list: Vec<&str> = words().collect();
        assert_eq!(list.len(), 7772);
        assert!(list
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
    }

    #[test]
    fn strength_decides_the_number_of_words() {
        for (strength, n) in [(0, 3), (1, 3), (2, 4), (3, 5), (4, 6), (9, 6)] {
            for _ in 0..20 {
                let g = generate(strength, false, false);
                assert_eq!(g.words.len(), n, "strength {strength}");
                assert_eq!(g.strength, strength.min(4));
                let joined: String = g.words.iter().flat_map(|w| capitalise(w)).collect();
                assert_eq!(
                    g.password, joined,
                    "plain passwords are the capitalised words"
                );
                assert!(g.password.len() >= MIN_LENGTH);
                assert!(g.password.chars().all(|c| c.is_ascii_alphabetic()));
            }
        }
    }

    #[test]
    fn numbers_and_symbols_are_present_only_when_asked() {
        for strength in 0..=4 {
            for _ in 0..50 {
                let want = class_count(strength);
                let g = generate(strength, true, false);
                assert!(count(&g.password, EXTRA_DIGITS) >= want, "{g:?}");
                assert_eq!(count(&g.password, SYMBOLS), 0, "{g:?}");
                let g = generate(strength, false, true);
                assert!(count(&g.password, SYMBOLS) >= want, "{g:?}");
                assert_eq!(count(&g.password, EXTRA_DIGITS), 0, "{g:?}");
                let g = generate(strength, true, true);
                assert!(count(&g.password, EXTRA_DIGITS) >= want, "{g:?}");
                assert!(count(&g.password, SYMBOLS) >= want, "{g:?}");
                assert!(g.password.is_ascii());
                assert!(g.numbers && g.special);
            }
        }
    }

    #[test]
    fn extras_are_added_when_letters_are_missing() {
        let mut chars: Vec<char> = "Bumpy".chars().collect();
        substitute(&mut chars, 3, DIGIT_LOOKALIKES, EXTRA_DIGITS, &mut OsRng);
        assert_eq!(chars.len(), 8);
        let s: String = chars.iter().collect();
        assert!(s.contains("Bumpy"));
        assert_eq!(count(&s, EXTRA_DIGITS), 3);
        assert!(chars[0].is_ascii_digit() && chars[7].is_ascii_digit());
    }

    #[test]
    fn passwords_differ() {
        let a = generate(4, true, true);
        let b = generate(4, true, true);
        assert_ne!(a.password, b.password);
    }
}
