//! A child process's output, collected while it runs. A piped stream must be read, or the child
//! blocks once the pipe is full.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::task::JoinHandle;

/// The bytes a child wrote, from any of its streams, in the order they were read.
#[derive(Clone, Default)]
pub struct Output(Arc<Mutex<Vec<u8>>>);

impl Output {
    /// Reads `stream` to its end in a task of its own, keeping at most `keep` bytes in all (the
    /// rest is read and dropped).
    pub fn collect(
        &self,
        mut stream: impl AsyncRead + Unpin + Send + 'static,
        keep: usize,
    ) -> JoinHandle<()> {
        let sink = self.0.clone();
        tokio::spawn(async move {
            let mut buffer = vec![0u8; 16 * 1024];
            while let Ok(n @ 1..) = stream.read(&mut buffer).await {
                let mut kept = sink.lock().unwrap();
                let room = keep.saturating_sub(kept.len());
                kept.extend_from_slice(&buffer[..n.min(room)]);
            }
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}
