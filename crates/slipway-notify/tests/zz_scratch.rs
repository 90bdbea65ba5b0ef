use slipway_notify::sink::{HttpSink, SmtpSink};
use slipway_notify::*;
use std::time::{Duration, Instant};
#[tokio::test]
async fn show() {
    let sink = HttpSink::start().await;
    let http = Http::new();
    let p = |url: String| Post {
        url,
        body: "{}".into(),
        idempotency_key: "k".into(),
        signing_secret: Some("s".into()),
        timeout: Duration::from_secs(3),
        now_unix: 1,
    };
    http.post(&p(sink.url("/a/SECRET"))).await.unwrap();
    sink.set_down(true);
    let e = http.post(&p(sink.url("/a/SECRET"))).await.unwrap_err();
    eprintln!("pooled down: {e} | {e:?}");
    let t = Instant::now();
    let e = http
        .post(&p("http://nowhere.invalid/SECRET?x=1".into()))
        .await
        .unwrap_err();
    eprintln!("dns: {e} ({:?})", t.elapsed());
    eprintln!("{:?}", p(sink.url("/a/SECRET")));
    let smtp_sink = SmtpSink::start();
    let smtp = Smtp {
        host: "127.0.0.1".into(),
        port: smtp_sink.port(),
        tls: TlsMode::StartTls,
        username: None,
        password: Some("pw".into()),
        from: "a@b.c".into(),
        timeout: Duration::from_secs(2),
    };
    let email = Email {
        to: "x@y.z".into(),
        to_name: None,
        subject: "s".into(),
        text: "t".into(),
        html: "h".into(),
        idempotency_key: "k".into(),
        thread: "".into(),
    };
    let e = send_email(&smtp, &email).await.unwrap_err();
    eprintln!("starttls: {e}");
    let e = send_email(
        &Smtp {
            tls: TlsMode::Tls,
            ..smtp.clone()
        },
        &email,
    )
    .await
    .unwrap_err();
    eprintln!("tls: {e} | {e:?}");
    let e = send_email(
        &Smtp {
            host: "nowhere.invalid".into(),
            tls: TlsMode::None,
            ..smtp.clone()
        },
        &email,
    )
    .await
    .unwrap_err();
    eprintln!("smtp dns: {e}");
    eprintln!("{smtp:?}");
    sink.set_down(false);
    drop(sink);
    drop(smtp_sink);
}
