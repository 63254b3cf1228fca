//! TEMPORARY (branch `client`): a stand-in for `crate::endpoint` until the `endpoints` branch,
//! which compiles the model's `smithy.rules#endpointRuleSet`, is merged; that merge replaces
//! this file. It implements the agreed API (contracts.md) with a fixed pattern
//! (`https://{endpointPrefix}[-fips].{region}.amazonaws.com`, `api.aws` for dual-stack) and
//! does NOT evaluate the rules. Emitted only for models that have a rule set.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::ir::Service;
use crate::load::Model;

/// `src/endpoint.rs`, or nothing when the model has no endpoint rules.
pub fn file(model: &Model, service: &Service) -> Option<(String, TokenStream)> {
    let traits = &model.shape(&service.id)?.traits;
    traits.get_abs("smithy.rules#endpointRuleSet")?;
    let prefix = traits
        .get_abs("aws.api#service")
        .and_then(|v| v.get("endpointPrefix"))
        .and_then(Value::as_str)
        .unwrap_or(&service.crate_name)
        .to_string();
    Some((
        "src/endpoint.rs".to_string(),
        quote! {
            //! Endpoint resolution (TEMPORARY stand-in: a fixed pattern, not the model's rules).

            use std::collections::BTreeMap;

            /// The endpoint parameters.
            #[non_exhaustive]
            #[derive(Clone, Debug, PartialEq, Default)]
            pub struct Params {
                /// `Region`.
                pub region: Option<String>,
                /// `UseFIPS`.
                pub use_fips: bool,
                /// `UseDualStack`.
                pub use_dual_stack: bool,
                /// `Endpoint`.
                pub endpoint: Option<String>,
            }

            impl Params {
                /// A builder.
                pub fn builder() -> ParamsBuilder {
                    ParamsBuilder::default()
                }

                /// The parameters the SDK built-ins fill.
                pub fn from_built_ins(b: &BuiltIns) -> Params {
                    Params { region: b.region.clone(), use_fips: b.use_fips, use_dual_stack: b.use_dual_stack, endpoint: b.endpoint.clone() }
                }
            }

            /// Builds [`Params`].
            #[derive(Clone, Debug, Default)]
            pub struct ParamsBuilder {
                params: Params,
            }

            impl ParamsBuilder {
                /// Sets `Region`.
                pub fn region(mut self, region: impl Into<String>) -> Self {
                    self.params.region = Some(region.into());
                    self
                }
                /// Sets `UseFIPS`.
                pub fn use_fips(mut self, v: bool) -> Self {
                    self.params.use_fips = v;
                    self
                }
                /// Sets `UseDualStack`.
                pub fn use_dual_stack(mut self, v: bool) -> Self {
                    self.params.use_dual_stack = v;
                    self
                }
                /// Sets `Endpoint`.
                pub fn endpoint(mut self, v: impl Into<String>) -> Self {
                    self.params.endpoint = Some(v.into());
                    self
                }
                /// The parameters.
                pub fn build(self) -> Params {
                    self.params
                }
            }

            /// Values an SDK supplies for built-in parameters.
            #[derive(Clone, Debug, Default)]
            pub struct BuiltIns {
                /// `AWS::Region`.
                pub region: Option<String>,
                /// `AWS::UseFIPS`.
                pub use_fips: bool,
                /// `AWS::UseDualStack`.
                pub use_dual_stack: bool,
                /// `SDK::Endpoint`.
                pub endpoint: Option<String>,
            }

            /// A resolved endpoint.
            #[derive(Clone, Debug, PartialEq)]
            pub struct Endpoint {
                /// The URL.
                pub url: String,
                /// Headers to add.
                pub headers: BTreeMap<String, Vec<String>>,
                /// Properties (`authSchemes`).
                pub properties: BTreeMap<String, crate::primitives::Document>,
            }

            /// No endpoint for these parameters.
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct ResolveError {
                message: String,
            }

            impl ::std::fmt::Display for ResolveError {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.message)
                }
            }

            impl ::std::error::Error for ResolveError {}

            /// Resolves the endpoint (TEMPORARY fixed pattern).
            pub fn resolve(params: &Params) -> Result<Endpoint, ResolveError> {
                let url = match (&params.endpoint, &params.region) {
                    (Some(endpoint), _) => endpoint.clone(),
                    (None, Some(region)) => {
                        let fips = if params.use_fips { "-fips" } else { "" };
                        let domain = if params.use_dual_stack { "api.aws" } else { "amazonaws.com" };
                        format!("https://{}{fips}.{region}.{domain}", #prefix)
                    }
                    (None, None) => return Err(ResolveError { message: "Invalid Configuration: Missing Region".to_string() }),
                };
                Ok(Endpoint { url, headers: BTreeMap::new(), properties: BTreeMap::new() })
            }
        },
    ))
}
