//! A child process's output, collected while it runs into a [`Captured`]. A piped stream must be
//! read, or the child blocks once the pipe is full.

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::task::JoinHandle;

use crate::Captured;

impl Captured {
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
}
