//! E-mail through lettre: SMTP when `SMTP_URL` is set, otherwise `.eml` files in a folder.

use super::NotifyError;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone)]
enum Route {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Sends e-mail from one sender address.
#[derive(Clone)]
pub struct Mailer {
    route: Route,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may carry a password.
        match &self.route {
            Route::Smtp(_) => f.write_str("Mailer(smtp)"),
            Route::Files(dir) => write!(f, "Mailer(files in {})", dir.display()),
        }
    }
}

impl Mailer {
    /// `smtp_url` like `smtp://user:pass@host:587?tls=required`; without it mail goes to `dir`.
    pub fn new(smtp_url: Option<&str>, from: &str, dir: PathBuf) -> Result<Mailer, NotifyError> {
        let from: Mailbox = from
            .parse()
            .map_err(|e| NotifyError::Permanent(format!("MAIL_FROM: {e}")))?;
        let route = match smtp_url {
            Some(url) => Route::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| NotifyError::Permanent(format!("SMTP_URL: {e}")))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => Route::Files(dir),
        };
        Ok(Mailer { route, from })
    }

    /// The folder development mail is written to, if mail goes to files.
    pub fn folder(&self) -> Option<&PathBuf> {
        match &self.route {
            Route::Files(dir) => Some(dir),
            Route::Smtp(_) => None,
        }
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), NotifyError> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| NotifyError::Permanent(format!("recipient: {e}")))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| NotifyError::Permanent(e.to_string()))?;
        match &self.route {
            Route::Smtp(transport) => match transport.send(message).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(NotifyError::Permanent(e.to_string())),
                Err(e) => Err(NotifyError::Transient(e.to_string())),
            },
            Route::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| NotifyError::Transient(e.to_string()))?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| NotifyError::Transient(e.to_string()))
            }
        }
    }
}
