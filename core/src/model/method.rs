//! How a preventive conversation was held, as the method describes it: the channel of contact
//! and the partners present or involved.

use serde::{Deserialize, Serialize};

/// The channel through which the conversation was held. The method recommends digital
/// channels for young people; a conversation not held in person needs no place visited.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// Face to face (the default, and what older records were).
    #[default]
    InPerson,
    /// A phone call.
    Phone,
    /// A messenger or social network.
    Messenger,
    /// An online platform (video meeting, e-learning).
    OnlinePlatform,
}

impl ContactChannel {
    /// All channels, in display order.
    pub const ALL: [ContactChannel; 4] = [ContactChannel::InPerson, ContactChannel::Phone, ContactChannel::Messenger, ContactChannel::OnlinePlatform];
}

/// A partner present at the conversation or involved in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Partner {
    /// The local authority (hokimiyat, the mahalla citizens' assembly).
    LocalAuthority,
    /// A school or college.
    School,
    /// A religious organisation.
    ReligiousOrganisation,
    /// Social services.
    SocialServices,
    /// Civil society (NGOs, the youth union, women's committee).
    CivilSociety,
}

impl Partner {
    /// All partners, in display order.
    pub const ALL: [Partner; 5] = [Partner::LocalAuthority, Partner::School, Partner::ReligiousOrganisation, Partner::SocialServices, Partner::CivilSociety];
}
