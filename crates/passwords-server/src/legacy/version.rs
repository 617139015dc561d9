//! GET /version: always the number 21.

use axum::Json;

pub async fn show() -> Json<u32> {
    Json(21)
}
