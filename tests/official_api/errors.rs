// Error handling as the official crate documents it: matching a service error, the
// `is_<variant>()` predicates, `ProvideErrorMetadata` (code, message), request ids, the
// crate-level `Error` with `?`, `DisplayErrorContext`, and `SdkError`'s variants.
use aws_sdk_chimesdkmeetings::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_chimesdkmeetings::operation::get_meeting::{GetMeetingError, GetMeetingOutput};
use aws_sdk_chimesdkmeetings::operation::RequestId;
use aws_sdk_chimesdkmeetings::Client;

async fn not_found_is_none(client: &Client, id: &str) -> Result<Option<GetMeetingOutput>, aws_sdk_chimesdkmeetings::Error> {
    match client.get_meeting().meeting_id(id).send().await {
        Ok(output) => Ok(Some(output)),
        Err(err) => {
            if let Some(service_error) = err.as_service_error() {
                if service_error.is_not_found_exception() {
                    return Ok(None);
                }
            }
            Err(err.into())
        }
    }
}

async fn into_service_error(client: &Client) -> Result<(), aws_sdk_chimesdkmeetings::Error> {
    let result = client.get_meeting().meeting_id("m").send().await;
    match result {
        Ok(_) => {}
        Err(sdk_err) => match sdk_err.into_service_error() {
            GetMeetingError::NotFoundException(e) => {
                let message: Option<&str> = e.message();
                let request_id: Option<&str> = e.meta().request_id();
            }
            e @ GetMeetingError::ForbiddenException(_) => return Err(e.into()),
            err if err.code() == Some("ThrottlingException") => {}
            err => return Err(err.into()),
        },
    }
    Ok(())
}

async fn question_mark(client: &Client) -> Result<String, aws_sdk_chimesdkmeetings::Error> {
    let out = client.get_meeting().meeting_id("m").send().await?;
    let request_id = out.request_id().map(str::to_string);
    Ok(out.meeting().and_then(|m| m.media_region()).unwrap_or_default().to_string())
}

async fn inspecting(client: &Client) {
    if let Err(err) = client.delete_meeting().meeting_id("m").send().await {
        eprintln!("delete failed: {}", DisplayErrorContext(&err));
        let code = err.code();
        let message = err.message();
        let request_id = err.request_id();
        match &err {
            SdkError::ServiceError(service) => {
                let raw = service.raw();
                let inner = service.err();
            }
            SdkError::TimeoutError(_) => {}
            SdkError::DispatchFailure(_) => {}
            SdkError::ConstructionFailure(_) => {}
            SdkError::ResponseError(_) => {}
            _ => {}
        }
        let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    }
}

fn crate_error(err: aws_sdk_chimesdkmeetings::Error) -> String {
    match err {
        aws_sdk_chimesdkmeetings::Error::NotFoundException(e) => format!("missing: {e}"),
        aws_sdk_chimesdkmeetings::Error::ThrottlingException(e) => format!("throttled: {e}"),
        other => format!("{}", DisplayErrorContext(&other)),
    }
}
