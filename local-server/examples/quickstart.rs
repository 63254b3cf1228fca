use chime_sdk_meetings::types::CreateAttendeeRequestItem as Attendee;
use chime_sdk_meetings::{Client, Config};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Region, credentials and endpoint come from the standard AWS_* environment variables.
    let client = Client::new(Config::from_env()?);
    let alice = Attendee::builder().external_user_id("alice").build()?;
    let bob = Attendee::builder().external_user_id("bob").build()?;
    let meeting = client.create_meeting_with_attendees().media_region("us-east-1");
    let out = meeting.external_meeting_id("quickstart").attendees(alice).attendees(bob).send();
    let out = out.await?;
    println!("meeting {}", out.meeting().and_then(|m| m.meeting_id()).unwrap_or_default());
    for a in out.attendees() {
        let user = a.external_user_id().unwrap_or_default();
        println!("{user} joins with {}", a.join_token().unwrap_or_default());
    }
    Ok(())
}
