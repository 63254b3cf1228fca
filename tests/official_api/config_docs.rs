// The rustdoc examples of the official crate's `config::Builder` (1.121.0) that this crate
// matches: retries, sleep, timeouts, behavior version, region (see README.md for the others).

fn retry_config() {
    use aws_sdk_chimesdkmeetings::config::Config;
    use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;

    let retry_config = RetryConfig::standard().with_max_attempts(5);
    let config = Config::builder().retry_config(retry_config).build();
}

fn set_retry_config() {
    use aws_sdk_chimesdkmeetings::config::{Builder, Config};
    use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;

    fn disable_retries(builder: &mut Builder) {
        let retry_config = RetryConfig::standard().with_max_attempts(1);
        builder.set_retry_config(Some(retry_config));
    }

    let mut builder = Config::builder();
    disable_retries(&mut builder);
    let config = builder.build();
}

fn sleep_impl() {
    use aws_sdk_chimesdkmeetings::config::{AsyncSleep, Config, SharedAsyncSleep, Sleep};

    #[derive(Debug)]
    pub struct ForeverSleep;

    impl AsyncSleep for ForeverSleep {
        fn sleep(&self, duration: std::time::Duration) -> Sleep {
            Sleep::new(std::future::pending())
        }
    }

    let sleep_impl = SharedAsyncSleep::new(ForeverSleep);
    let config = Config::builder().sleep_impl(sleep_impl).build();
}

fn set_sleep_impl() {
    use aws_sdk_chimesdkmeetings::config::{AsyncSleep, Builder, Config, SharedAsyncSleep, Sleep};

    #[derive(Debug)]
    pub struct ForeverSleep;

    impl AsyncSleep for ForeverSleep {
        fn sleep(&self, duration: std::time::Duration) -> Sleep {
            Sleep::new(std::future::pending())
        }
    }

    fn set_never_ending_sleep_impl(builder: &mut Builder) {
        let sleep_impl = SharedAsyncSleep::new(ForeverSleep);
        builder.set_sleep_impl(Some(sleep_impl));
    }

    let mut builder = Config::builder();
    set_never_ending_sleep_impl(&mut builder);
    let config = builder.build();
}

fn timeout_config() {
    use std::time::Duration;
    use aws_sdk_chimesdkmeetings::config::Config;
    use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;

    let timeout_config = TimeoutConfig::builder()
        .operation_attempt_timeout(Duration::from_secs(1))
        .build();
    let config = Config::builder().timeout_config(timeout_config).build();
}

fn set_timeout_config() {
    use std::time::Duration;
    use aws_sdk_chimesdkmeetings::config::{Builder, Config};
    use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;

    fn set_request_timeout(builder: &mut Builder) {
        let timeout_config = TimeoutConfig::builder()
            .operation_attempt_timeout(Duration::from_secs(1))
            .build();
        builder.set_timeout_config(Some(timeout_config));
    }

    let mut builder = Config::builder();
    set_request_timeout(&mut builder);
    let config = builder.build();
}

fn adaptive_retries() {
    use aws_sdk_chimesdkmeetings::config::Config;
    use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;

    let config = Config::builder().retry_config(RetryConfig::adaptive()).build();
}

fn region() {
    use aws_types::region::Region;
    use aws_sdk_chimesdkmeetings::config::{Builder, Config};

    let config = aws_sdk_chimesdkmeetings::Config::builder()
        .region(Region::new("us-east-1"))
        .build();
}

fn behavior_version_latest() {
    use aws_sdk_chimesdkmeetings::config::BehaviorVersion;

    let config = aws_sdk_chimesdkmeetings::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        // ...
        .build();
    let client = aws_sdk_chimesdkmeetings::Client::from_conf(config);
}

fn behavior_version_pinned() {
    use aws_sdk_chimesdkmeetings::config::BehaviorVersion;

    let config = aws_sdk_chimesdkmeetings::Config::builder()
        .behavior_version(BehaviorVersion::v2023_11_09())
        // ...
        .build();
    let client = aws_sdk_chimesdkmeetings::Client::from_conf(config);
}

// Static credentials and an endpoint, as the official Config builder takes them.
fn credentials_and_endpoint() {
    use aws_sdk_chimesdkmeetings::config::{Credentials, Region};

    let config = aws_sdk_chimesdkmeetings::Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "example"))
        .endpoint_url("http://localhost:8080")
        .behavior_version_latest()
        .build();
    let client = aws_sdk_chimesdkmeetings::Client::from_conf(config);
    let region: Option<&Region> = client.config().region();
}
