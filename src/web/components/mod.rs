pub(crate) mod app;
mod exchange_list;
mod exchange_view;
mod finding_card;
mod input_panel;
mod report_view;
mod share_panel;
