//! Customers as far as reception needs them: who they are and how to address them.

use super::DomainError;

/// How a customer is addressed (以姓氏称呼).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Honorific {
    /// 先生
    Mr,
    /// 女士
    Ms,
}

impl Honorific {
    /// Both honorifics, in the order offered.
    pub const ALL: [Self; 2] = [Self::Mr, Self::Ms];

    /// The Chinese word, which is also how it is stored and imported.
    pub fn as_zh(self) -> &'static str {
        match self {
            Self::Mr => "先生",
            Self::Ms => "女士",
        }
    }

    /// Parses `先生` or `女士`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "先生" => Some(Self::Mr),
            "女士" => Some(Self::Ms),
            _ => None,
        }
    }

    /// The translation key of the honorific's label in the UI.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Mr => "honorific.mr",
            Self::Ms => "honorific.ms",
        }
    }
}

/// A customer in the archive.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Customer {
    /// Database id.
    pub id: i64,
    /// Surname (姓), used to greet the customer.
    pub surname: String,
    /// 先生 / 女士, when known.
    pub honorific: Option<Honorific>,
    /// Full name, when given.
    pub name: String,
    /// Phone number as entered (digits, spaces and dashes removed).
    pub phone: String,
    /// Company.
    pub company: String,
    /// Region (where the customer comes from).
    pub region: String,
}

impl Customer {
    /// The customer with every field checked by the form's rules (surname required, lengths, no
    /// control characters, phone normalised); for imports and edits.
    pub fn validated(&self) -> Result<Self, DomainError> {
        use super::validation::{COMPANY_MAX, NAME_MAX, REGION_MAX, single_line};
        Ok(Self {
            id: self.id,
            surname: validate_surname(&self.surname)?,
            honorific: self.honorific,
            name: single_line("field.name", &self.name, NAME_MAX)?,
            phone: normalize_phone(&self.phone)?,
            company: single_line("field.company", &self.company, COMPANY_MAX)?,
            region: single_line("field.region", &self.region, REGION_MAX)?,
        })
    }

    /// "王先生", or `None` when surname or honorific is unknown.
    pub fn salutation(&self) -> Option<String> {
        salutation(&self.surname, self.honorific)
    }
}

/// "王先生" from a surname and an honorific; `None` when either is missing.
pub fn salutation(surname: &str, honorific: Option<Honorific>) -> Option<String> {
    let surname = surname.trim();
    match honorific {
        Some(h) if !surname.is_empty() => Some(format!("{surname}{}", h.as_zh())),
        _ => None,
    }
}

/// Normalises a phone number: keeps digits and a leading `+`, drops spaces and dashes.
///
/// Returns an error for anything else, or for a number with fewer than 5 or more than 20 digits.
pub fn normalize_phone(raw: &str) -> Result<String, DomainError> {
    let raw = raw.trim();
    let mut out = String::with_capacity(raw.len());
    for (i, c) in raw.chars().enumerate() {
        match c {
            '0'..='9' => out.push(c),
            '+' if i == 0 => out.push(c),
            ' ' | '-' | '(' | ')' => {}
            _ => {
                return Err(DomainError::Invalid {
                    field: "field.phone",
                    reason: "err.phone_chars",
                });
            }
        }
    }
    let digits = out.chars().filter(char::is_ascii_digit).count();
    if !out.is_empty() && !(5..=20).contains(&digits) {
        return Err(DomainError::Invalid {
            field: "field.phone",
            reason: "err.phone_length",
        });
    }
    Ok(out)
}

/// Masks a phone number for lists: `13812345678` → `138****5678`.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

/// Checks a surname: required, at most [`super::validation::SURNAME_MAX`] characters in any
/// script (复姓 such as 欧阳, O'Brien, Smith-Jones), no control characters.
pub fn validate_surname(surname: &str) -> Result<String, DomainError> {
    super::validation::surname(surname)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salutation_needs_surname_and_honorific() {
        assert_eq!(
            salutation("王", Some(Honorific::Mr)).as_deref(),
            Some("王先生")
        );
        assert_eq!(
            salutation(" 欧阳 ", Some(Honorific::Ms)).as_deref(),
            Some("欧阳女士")
        );
        assert_eq!(salutation("", Some(Honorific::Ms)), None);
        assert_eq!(salutation("王", None), None);
    }

    #[test]
    fn phone_normalisation() {
        assert_eq!(normalize_phone(" 138-1234 5678 ").unwrap(), "13812345678");
        assert_eq!(
            normalize_phone("+86 138 1234 5678").unwrap(),
            "+8613812345678"
        );
        assert_eq!(normalize_phone("").unwrap(), "");
        assert!(normalize_phone("138abc").is_err());
        assert!(normalize_phone("123").is_err());
    }

    #[test]
    fn phone_masking() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("02162345678"), "021****5678");
        assert_eq!(mask_phone("12345"), "*****");
    }

    #[test]
    fn surname_rules() {
        assert_eq!(validate_surname(" 堃 ").unwrap(), "堃");
        assert!(validate_surname("").is_err());
        assert_eq!(validate_surname("王五六七八").unwrap(), "王五六七八");
        assert_eq!(validate_surname("O'Brien").unwrap(), "O'Brien");
        assert_eq!(
            salutation(&validate_surname("Smith").unwrap(), Some(Honorific::Mr)).as_deref(),
            Some("Smith先生")
        );
        assert!(validate_surname(&"a".repeat(41)).is_err());
        assert!(validate_surname("Wang\0").is_err());
    }
}
