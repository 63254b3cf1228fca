// The official crate's README example (aws-sdk-chimesdkmeetings 1.121.0), as published.
use aws_sdk_chimesdkmeetings as chimesdkmeetings;

#[::tokio::main]
async fn main() -> Result<(), chimesdkmeetings::Error> {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_chimesdkmeetings::Client::new(&config);

    // ... make some calls with the client

    Ok(())
}
