//! FrontDesk (前台客服台): the customer-service front desk of a transport and logistics company.
//!
//! Layers: [`domain`] (rules, no I/O) → [`store`] (SQLite) → [`app`] (commands) → [`ui`] (egui).
//! [`cli`] runs the same store headless.

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod pdf;
pub mod platform;
pub mod report;
pub mod store;
pub mod ui;
