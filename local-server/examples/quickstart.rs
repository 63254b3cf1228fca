use chime_sdk_meetings::client::{Client, Config};
use chime_sdk_meetings::types::CreateAttendeeRequestItem as Attendee;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Region, credentials and endpoint come from the standard AWS_* environment variables.
    let client = Client::new(Config::from_env()?);
    let attendees = ["alice", "bob"].map(|id| Attendee::builder().external_user_id(id).build());
    let attendees = attendees.into_iter().collect::<Result<Vec<_>, _>>()?;
    let meeting = client.create_meeting_with_attendees().media_region("us-east-1");
    let out = meeting.external_meeting_id("quickstart").attendees(attendees).send().await?;
    println!("meeting {}", out.meeting.and_then(|m| m.meeting_id).unwrap_or_default());
    for a in out.attendees.unwrap_or_default() {
        let user = a.external_user_id.unwrap_or_default();
        println!("{user} joins with {}", a.join_token.unwrap_or_default());
    }
    Ok(())
}
