//! Evidence files of a claim: photos (PNG, JPEG) and PDF documents, checked before they are kept.

use super::DomainError;

/// The largest evidence file accepted: 10 MB.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// What an evidence file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceKind {
    /// A photo that decodes.
    Image,
    /// A PDF document.
    Pdf,
}

impl EvidenceKind {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Pdf => "pdf",
        }
    }

    /// Parses the stored code.
    pub fn from_code(s: &str) -> Self {
        if s == "pdf" { Self::Pdf } else { Self::Image }
    }
}

/// Checks a file: not empty, not larger than the limit, a PDF or an image that decodes.
/// Unreadable or other files are refused with a reason, never a panic.
pub fn check(bytes: &[u8]) -> Result<EvidenceKind, DomainError> {
    let bad = |reason| DomainError::Invalid {
        field: "claim.evidence",
        reason,
    };
    if bytes.is_empty() {
        return Err(bad("err.file_empty"));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(bad("err.file_too_large"));
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(EvidenceKind::Pdf);
    }
    match image::guess_format(bytes) {
        Ok(image::ImageFormat::Png | image::ImageFormat::Jpeg) => {}
        _ => return Err(bad("err.file_type")),
    }
    match image::load_from_memory(bytes) {
        Ok(_) => Ok(EvidenceKind::Image),
        Err(_) => Err(bad("err.file_unreadable")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_pixel(4, 3, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn images_and_pdfs_are_accepted() {
        assert_eq!(check(&png()), Ok(EvidenceKind::Image));
        assert_eq!(check(b"%PDF-1.7\n..."), Ok(EvidenceKind::Pdf));
    }

    #[test]
    fn other_and_broken_files_are_refused() {
        assert_eq!(
            check(b"").unwrap_err(),
            DomainError::Invalid {
                field: "claim.evidence",
                reason: "err.file_empty"
            }
        );
        assert_eq!(
            check(b"hello").unwrap_err(),
            DomainError::Invalid {
                field: "claim.evidence",
                reason: "err.file_type"
            }
        );
        let mut broken = png();
        broken.truncate(30);
        assert_eq!(
            check(&broken).unwrap_err(),
            DomainError::Invalid {
                field: "claim.evidence",
                reason: "err.file_unreadable"
            }
        );
        let huge = vec![0u8; MAX_EVIDENCE_BYTES + 1];
        assert_eq!(
            check(&huge).unwrap_err(),
            DomainError::Invalid {
                field: "claim.evidence",
                reason: "err.file_too_large"
            }
        );
    }
}
