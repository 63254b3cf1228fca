// The rustdoc examples of the official crate's `Client` and `client::customize` (1.121.0),
// each in the function its hidden `# async fn wrapper()` lines give it.

async fn simplest() {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_chimesdkmeetings::Client::new(&config);
}

async fn service_specific_settings() {
    let sdk_config = ::aws_config::load_from_env().await;
    let config = aws_sdk_chimesdkmeetings::config::Builder::from(&sdk_config)
        .build();
}

async fn using_the_client(client: aws_sdk_chimesdkmeetings::Client) {
    let result = client.batch_create_attendee()
        .meeting_id("example")
        .send()
        .await;
}

// `customize()`: the official example names the http crate `http_1x` (its own dependency's
// name); an application depends on `http` 1 as `http`.
async fn customize() -> ::std::result::Result<(), aws_sdk_chimesdkmeetings::Error> {
    let client: aws_sdk_chimesdkmeetings::Client = unimplemented!();
    use ::http::header::{HeaderName, HeaderValue};

    let result = client.batch_create_attendee()
        .customize()
        .mutate_request(|req| {
            // Add `x-example-header` with value
            req.headers_mut()
                .insert(
                    HeaderName::from_static("x-example-header"),
                    HeaderValue::from_static("1"),
                );
        })
        .send()
        .await;
    Ok(())
}

// The crate-level `Config` docs: a shared config converted by the client constructor.
async fn shared_config() {
    use aws_sdk_chimesdkmeetings::Client;
    // Load a shared config from the environment
    let shared_config = aws_config::from_env().load().await;
    // The client constructor automatically converts the shared config into the service config
    let client = Client::new(&shared_config);
}
