// Paginators as the official crate documents them: `into_paginator().send()` yields pages
// (`next().await`, `collect`, `try_collect`), `items()` the listed elements, and a saved
// `next_token` resumes a listing.
use aws_sdk_chimesdkmeetings::types::Attendee;
use aws_sdk_chimesdkmeetings::Client;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

async fn pages(client: &Client) -> Result<(), BoxError> {
    let mut pages = client.list_attendees().meeting_id("m").max_results(5).into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page?;
        for attendee in page.attendees() {
            println!("{:?}", attendee.attendee_id());
        }
    }
    Ok(())
}

async fn items(client: &Client) -> Result<Vec<Attendee>, BoxError> {
    let attendees = client
        .list_attendees()
        .meeting_id("m")
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    Ok(attendees)
}

async fn collected(client: &Client) {
    let pages: Vec<Result<_, _>> =
        client.list_attendees().meeting_id("m").into_paginator().page_size(2).send().collect().await;
}

async fn resume(client: &Client, saved: String) -> Result<(), BoxError> {
    let mut pages =
        client.list_attendees().meeting_id("m").next_token(saved).into_paginator().send();
    if let Some(page) = pages.next().await {
        let next: Option<&str> = page?.next_token();
    }
    Ok(())
}
