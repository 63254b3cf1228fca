// The forward-compatible match of the official crate's enum docs (1.121.0, `MediaCapabilities`),
// and the enum API applications use: `as_str`, `From<&str>`, `values()`, `FromStr`.
use aws_sdk_chimesdkmeetings::types::{MediaCapabilities, MeetingFeatureStatus, TranscribeLanguageCode};

fn forward_compatible(mediacapabilities: MediaCapabilities) -> &'static str {
    match mediacapabilities {
        MediaCapabilities::None => "none",
        MediaCapabilities::Receive => "receive",
        MediaCapabilities::Send => "send",
        MediaCapabilities::SendReceive => "send and receive",
        other @ _ if other.as_str() == "NewFeature" => "a case for `NewFeature`",
        _ => "something else",
    }
}

fn conversions() {
    let status = MeetingFeatureStatus::from("AVAILABLE");
    let raw: &str = status.as_str();
    let all: &[&str] = MeetingFeatureStatus::values();
    let parsed: MeetingFeatureStatus = "UNAVAILABLE".parse().unwrap();
    let language = TranscribeLanguageCode::EnUs;
    let same = language.clone() == TranscribeLanguageCode::from(language.as_str());
    let text = format!("{status:?} {}", language.as_str());
}
