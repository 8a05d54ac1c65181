//! Customers as far as reception needs them: who they are and how to address them.

use chrono::{Days, NaiveDate, NaiveDateTime};

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

    /// Updates the archived record of a returning customer with what was typed this time: every
    /// field typed replaces the archive's, a blank one keeps it (so does a missing honorific).
    pub fn fill_in(&mut self, typed: &Customer) {
        let fill = |archived: &mut String, typed: &str| {
            if !typed.is_empty() {
                typed.clone_into(archived);
            }
        };
        fill(&mut self.surname, &typed.surname);
        fill(&mut self.name, &typed.name);
        fill(&mut self.phone, &typed.phone);
        fill(&mut self.company, &typed.company);
        fill(&mut self.region, &typed.region);
        self.honorific = typed.honorific.or(self.honorific);
    }
}

/// Credit grades, best first.
pub const CREDIT_GRADES: [&str; 4] = ["A", "B", "C", "D"];

/// Revisit interval of a key account whose interval was never set, in days.
pub const DEFAULT_REVISIT_DAYS: i64 = 30;

/// A customer's archive page: the record and everything kept about them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerFile {
    /// The customer.
    pub customer: Customer,
    /// Second phone.
    pub phone2: String,
    /// Key account (大客户).
    pub key_account: bool,
    /// Revisit every so many days (key accounts).
    pub revisit_days: Option<i64>,
    /// The staff member who owns the account.
    pub owner_staff_id: Option<i64>,
    /// Credit grade A–D.
    pub credit_grade: Option<String>,
    /// Notes.
    pub notes: String,
    /// Last revisit (a completed callback or a visit).
    pub last_revisit_at: Option<NaiveDateTime>,
    /// Credit grade changes, newest first: (when, grade, reason, by whom).
    pub credit_history: Vec<(NaiveDateTime, String, String, String)>,
}

impl CustomerFile {
    /// The page's editable fields checked as saved: the customer by the form's rules, the
    /// second phone normalised, the notes; a key account needs a revisit interval, and an
    /// interval must lie within [`super::validation::REVISIT_DAYS`].
    pub fn checked(&self) -> Result<Self, DomainError> {
        use super::validation::{NOTES_MAX, multi_line, revisit_days};
        let customer = self.customer.validated()?;
        let phone2 = normalize_phone(&self.phone2)?;
        let notes = multi_line("customer.notes", &self.notes, NOTES_MAX)?;
        if self.key_account && self.revisit_days.is_none() {
            return Err(DomainError::Invalid {
                field: "customer.revisit_days",
                reason: "err.required",
            });
        }
        if let Some(days) = self.revisit_days {
            revisit_days(days)?;
        }
        Ok(Self {
            customer,
            phone2,
            notes,
            ..self.clone()
        })
    }

    /// What the audit trail keeps of a change: ids and flags only, because the audit trail is
    /// kept longer than personal details are.
    pub fn audit_line(&self) -> String {
        format!(
            "key={} revisit={:?} owner={:?}",
            self.key_account, self.revisit_days, self.owner_staff_id
        )
    }

    /// Takes over what the duplicate `dup` knows: a key account stays one, the duplicate's phone
    /// becomes the second phone when there is none yet and it differs, and every field the
    /// duplicate has (name, company, …; its phone excepted) replaces this record's, as
    /// [`Customer::fill_in`] does.
    pub fn absorb(&mut self, dup: &CustomerFile) {
        self.key_account |= dup.key_account;
        if self.phone2.is_empty() && self.customer.phone != dup.customer.phone {
            self.phone2.clone_from(&dup.customer.phone);
        }
        self.customer.fill_in(&Customer {
            phone: String::new(),
            ..dup.customer.clone()
        });
    }
}

/// Checks a merge of the duplicate `other` into `keep`: a record is not merged into itself.
pub fn check_merge(keep: i64, other: i64) -> Result<(), DomainError> {
    if keep == other {
        return Err(DomainError::WrongState("err.merge_same"));
    }
    Ok(())
}

/// Checks a credit grade change: one of [`CREDIT_GRADES`], with a reason. Returns the reason,
/// trimmed.
pub fn check_credit(grade: &str, reason: &str) -> Result<String, DomainError> {
    if !CREDIT_GRADES.contains(&grade) {
        return Err(DomainError::Invalid {
            field: "customer.credit",
            reason: "err.required",
        });
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DomainError::Invalid {
            field: "customer.credit_reason",
            reason: "err.required",
        });
    }
    Ok(reason.to_owned())
}

/// When a key account is next due for a revisit: the interval after the last revisit. `None`
/// when it was never revisited (due at once). No interval means
/// [`DEFAULT_REVISIT_DAYS`]; an interval outside [`super::validation::REVISIT_DAYS`] (written by
/// hand or by an older version) is clamped into it, so the date arithmetic cannot overflow.
pub fn next_revisit(
    last_revisit_at: Option<NaiveDateTime>,
    revisit_days: Option<i64>,
) -> Option<NaiveDate> {
    let range = super::validation::REVISIT_DAYS;
    let days = revisit_days
        .unwrap_or(DEFAULT_REVISIT_DAYS)
        .clamp(*range.start(), *range.end())
        .unsigned_abs();
    last_revisit_at.and_then(|l| l.date().checked_add_days(Days::new(days)))
}

/// Whether a revisit falling due on `next` (see [`next_revisit`]) is due on `today`.
pub fn revisit_is_due(next: Option<NaiveDate>, today: NaiveDate) -> bool {
    next.is_none_or(|w| w <= today)
}

/// The new last-revisit time when a customer is revisited at `at` (a completed callback or a
/// visit): only key accounts count, and the time never moves back. `None`: nothing changes.
pub fn revisited(
    key_account: bool,
    last_revisit_at: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> Option<NaiveDateTime> {
    (key_account && last_revisit_at.is_none_or(|last| last < at)).then_some(at)
}

/// A customer read from an imported list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedCustomer {
    /// Surname.
    pub surname: String,
    /// Honorific.
    pub honorific: Honorific,
    /// Full name.
    pub name: String,
    /// Phone, normalised.
    pub phone: String,
    /// Company.
    pub company: String,
    /// Region.
    pub region: String,
    /// Key account.
    pub key_account: bool,
    /// Credit grade A–D.
    pub credit_grade: Option<String>,
}

impl ImportedCustomer {
    /// The row as a customer record, checked by the form's rules.
    pub fn customer(&self) -> Result<Customer, DomainError> {
        Customer {
            id: 0,
            surname: self.surname.clone(),
            honorific: Some(self.honorific),
            name: self.name.clone(),
            phone: self.phone.clone(),
            company: self.company.clone(),
            region: self.region.clone(),
        }
        .validated()
    }
}

/// The credit-history reason of a grade that came with an import.
pub const IMPORT_CREDIT_REASON: &str = "导入";

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

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn archived() -> Customer {
        Customer {
            id: 7,
            surname: "王".into(),
            honorific: Some(Honorific::Mr),
            name: "王建国".into(),
            phone: "13812345678".into(),
            company: "顺达物流".into(),
            region: "上海".into(),
        }
    }

    #[test]
    fn blank_fields_keep_the_archive_value() {
        let mut c = archived();
        c.fill_in(&Customer::default());
        assert_eq!(c, archived(), "nothing typed, nothing changes");
        c.fill_in(&Customer {
            id: 99,
            surname: "黄".into(),
            honorific: Some(Honorific::Ms),
            name: String::new(),
            phone: String::new(),
            company: "远通快运".into(),
            region: " ".into(),
        });
        assert_eq!(
            c,
            Customer {
                id: 7,
                surname: "黄".into(),
                honorific: Some(Honorific::Ms),
                name: "王建国".into(),
                phone: "13812345678".into(),
                company: "远通快运".into(),
                region: " ".into(),
            },
            "the id stays; only an empty text counts as blank"
        );
        let mut unknown = Customer {
            honorific: None,
            ..archived()
        };
        unknown.fill_in(&Customer {
            honorific: None,
            ..Customer::default()
        });
        assert_eq!(unknown.honorific, None);
    }

    fn file() -> CustomerFile {
        CustomerFile {
            customer: archived(),
            ..CustomerFile::default()
        }
    }

    #[test]
    fn archive_page_checks() {
        let typed = CustomerFile {
            customer: Customer {
                surname: " 王 ".into(),
                phone: "138 1234 5678".into(),
                ..archived()
            },
            phone2: "021-6234-5678".into(),
            notes: " 周五来 \r\n提货 ".into(),
            key_account: true,
            revisit_days: Some(90),
            owner_staff_id: Some(3),
            ..CustomerFile::default()
        };
        let checked = typed.checked().unwrap();
        assert_eq!(checked.customer.surname, "王");
        assert_eq!(checked.customer.phone, "13812345678");
        assert_eq!(checked.phone2, "02162345678");
        assert_eq!(checked.notes, "周五来 \n提货");
        assert_eq!(checked.revisit_days, Some(90));
        assert_eq!(checked.owner_staff_id, Some(3));

        let no_interval = CustomerFile {
            revisit_days: None,
            ..typed.clone()
        };
        assert_eq!(
            no_interval.checked(),
            Err(DomainError::Invalid {
                field: "customer.revisit_days",
                reason: "err.required"
            }),
            "a key account needs a revisit interval"
        );
        let ordinary = CustomerFile {
            key_account: false,
            ..no_interval
        };
        assert!(ordinary.checked().is_ok());
        for (days, ok) in [(0, false), (1, true), (3650, true), (3651, false)] {
            let f = CustomerFile {
                revisit_days: Some(days),
                ..typed.clone()
            };
            assert_eq!(f.checked().is_ok(), ok, "{days} days");
        }
        let bad_phone2 = CustomerFile {
            phone2: "123".into(),
            ..typed.clone()
        };
        assert_eq!(
            bad_phone2.checked(),
            Err(DomainError::Invalid {
                field: "field.phone",
                reason: "err.phone_length"
            })
        );
        let no_surname = CustomerFile {
            customer: Customer {
                surname: String::new(),
                ..archived()
            },
            revisit_days: None,
            ..typed
        };
        assert_eq!(
            no_surname.checked(),
            Err(DomainError::Invalid {
                field: "field.surname",
                reason: "err.required"
            }),
            "the customer is checked first"
        );
    }

    #[test]
    fn the_audit_keeps_no_personal_details() {
        let f = CustomerFile {
            key_account: true,
            revisit_days: Some(30),
            owner_staff_id: None,
            notes: "私人备注".into(),
            ..file()
        };
        assert_eq!(f.audit_line(), "key=true revisit=Some(30) owner=None");
    }

    #[test]
    fn merging_takes_over_the_duplicate() {
        let mut keep = file();
        let dup = CustomerFile {
            customer: Customer {
                id: 8,
                surname: "王".into(),
                honorific: None,
                name: String::new(),
                phone: "13900000000".into(),
                company: "顺达物流上海分公司".into(),
                region: String::new(),
            },
            phone2: "01000000000".into(),
            key_account: true,
            notes: "重复登记".into(),
            ..CustomerFile::default()
        };
        keep.absorb(&dup);
        assert!(keep.key_account);
        assert_eq!(keep.phone2, "13900000000");
        assert_eq!(
            keep.customer,
            Customer {
                company: "顺达物流上海分公司".into(),
                ..archived()
            },
            "the phone stays; the duplicate's other fields replace ours"
        );
        assert_eq!(keep.notes, "", "notes are not taken over");

        // A second phone already there stays; so does a key account.
        let mut keep = CustomerFile {
            phone2: "02100000000".into(),
            key_account: true,
            ..file()
        };
        keep.absorb(&CustomerFile {
            key_account: false,
            ..dup.clone()
        });
        assert_eq!(keep.phone2, "02100000000");
        assert!(keep.key_account);

        // The same phone is no second phone.
        let mut keep = file();
        keep.absorb(&CustomerFile {
            customer: Customer {
                phone: archived().phone,
                ..dup.customer.clone()
            },
            key_account: false,
            ..CustomerFile::default()
        });
        assert_eq!(keep.phone2, "");
        assert!(!keep.key_account);
    }

    #[test]
    fn merge_and_credit_checks() {
        assert_eq!(
            check_merge(3, 3),
            Err(DomainError::WrongState("err.merge_same"))
        );
        assert_eq!(check_merge(3, 4), Ok(()));
        assert_eq!(check_credit("B", " 按时付款 "), Ok("按时付款".to_owned()));
        for grade in CREDIT_GRADES {
            assert!(check_credit(grade, "x").is_ok());
        }
        for bad in ["", "E", "a", " A"] {
            assert_eq!(
                check_credit(bad, "x"),
                Err(DomainError::Invalid {
                    field: "customer.credit",
                    reason: "err.required"
                }),
                "{bad:?}"
            );
        }
        assert_eq!(
            check_credit("A", "  "),
            Err(DomainError::Invalid {
                field: "customer.credit_reason",
                reason: "err.required"
            })
        );
    }

    #[test]
    fn revisit_due_dates() {
        let last = Some(at("2026-10-01 15:00:00"));
        assert_eq!(next_revisit(last, Some(30)), Some(day(2026, 10, 31)));
        assert_eq!(
            next_revisit(last, None),
            Some(day(2026, 10, 31)),
            "30 days unless set"
        );
        assert_eq!(
            next_revisit(last, Some(0)),
            Some(day(2026, 10, 2)),
            "at least a day"
        );
        assert_eq!(next_revisit(last, Some(-5)), Some(day(2026, 10, 2)));
        assert_eq!(
            next_revisit(last, Some(i64::MAX)),
            Some(day(2036, 9, 28)),
            "at most ten years"
        );
        assert_eq!(next_revisit(None, Some(30)), None);
        assert!(revisit_is_due(None, day(2026, 10, 1)), "never revisited");
        assert!(!revisit_is_due(Some(day(2026, 10, 31)), day(2026, 10, 30)));
        assert!(revisit_is_due(Some(day(2026, 10, 31)), day(2026, 10, 31)));
        assert!(revisit_is_due(Some(day(2026, 10, 31)), day(2026, 11, 1)));
    }

    #[test]
    fn only_key_accounts_are_revisited_and_never_backwards() {
        let now = at("2026-11-23 09:00:00");
        assert_eq!(revisited(true, None, now), Some(now));
        assert_eq!(revisited(false, None, now), None);
        assert_eq!(
            revisited(true, Some(at("2026-11-23 08:59:59")), now),
            Some(now)
        );
        assert_eq!(revisited(true, Some(now), now), None);
        assert_eq!(revisited(true, Some(at("2026-12-01 00:00:00")), now), None);
    }

    #[test]
    fn imported_customers_follow_the_form_rules() {
        let row = ImportedCustomer {
            surname: " 李 ".into(),
            honorific: Honorific::Ms,
            name: "李娜".into(),
            phone: "138-0000-1111".into(),
            company: String::new(),
            region: "杭州".into(),
            key_account: true,
            credit_grade: Some("A".into()),
        };
        assert_eq!(
            row.customer(),
            Ok(Customer {
                id: 0,
                surname: "李".into(),
                honorific: Some(Honorific::Ms),
                name: "李娜".into(),
                phone: "13800001111".into(),
                company: String::new(),
                region: "杭州".into(),
            })
        );
        let bad = ImportedCustomer {
            phone: "电话".into(),
            ..row
        };
        assert_eq!(
            bad.customer(),
            Err(DomainError::Invalid {
                field: "field.phone",
                reason: "err.phone_chars"
            })
        );
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
