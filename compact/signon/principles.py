"""The principles and objectives entities commit to when they sign on (Annex III, IV.11 of
A/72/840), shown beside the declaration on the public form. Quoted verbatim."""

from django.utils.translation import gettext_lazy as _

# Annex III, III.e "Status of the Compact": what signing on does not do. Shown on the sign-on form
# beside the declaration and on the public page, so that nobody signs on (or reads about the
# Compact) believing it binds the entities or touches their mandates.
STATUS = _(
    "Nothing in this Compact shall be construed as creating an agency relationship or legal partnership or "
    "binding responsibility between the Entities involved. This Compact does not in any way interfere with, "
    "and is without prejudice to, any existing partnership frameworks, decision-making processes, or "
    "mandates of the Entities."
)

PREAMBLE = _(
    "Parties to this Compact commit to abide by and implement the following principles and objectives, "
    "without prejudice to their respective mandates, decisions and decision making processes and "
    "programmatic actions, to achieve stronger coordination and coherence of United Nations work in "
    "support of Member States' efforts to counter terrorism and prevent violent extremism, with respect "
    "for human rights and the rule of law as the fundamental basis."
)

OBJECTIVES = [
    (
        "a",
        _(
            "A commitment to action-oriented collaboration to support implementation of the UN Global Counter-"
            "Terrorism Strategy, relevant UN General Assembly and Security Council and Human Rights Council "
            "resolutions and in response to requests by Member States, as compatible with each Entity's core "
            "mandate and without prejudice to the decisions and resolutions taken by the governing bodies of the "
            "Entities."
        ),
    ),
    (
        "b",
        _(
            "A commitment that the UN's counter-terrorism and PVE efforts at UN Headquarters and in the field, in"
            " collaboration with UN Country Teams, are evidence-based, guided by the principle of national "
            "ownership and in line with UN Principles and Purposes under the Charter."
        ),
    ),
    (
        "c",
        _(
            "A commitment to close cooperation to support the development of an effective common approach to "
            "counter-terrorism and PVE programs and projects both at Headquarters and field levels, taking a "
            "country by country approach, as well as at regional levels; such cooperation will be based on the "
            "comparative advantages of the Entities and their mandates, while reducing duplication and "
            "overlapping where possible between efforts of various Counter-Terrorism Implementation Task Force "
            "Entities in their delivery of technical assistance, and encouraging joint programming and "
            "implementation, coordinated participation at international conferences, forums and other counter-"
            "terrorism and PVE events. Any cooperation will be without prejudice to the mandates of respective "
            "Entities and taking into account the need to preserve humanitarian principles and humanitarian space"
            " in line with the Secretary-General's PVE Action Plan."
        ),
    ),
    (
        "d",
        _(
            "A commitment to timely information-sharing, where possible, including on designing, programming, "
            "executing, delivering and impact assessment, as well as to the provision of feedback from "
            "programme/project designers, facilitators, the donor community, implementing agencies and "
            "recipients. This commitment is subject to any applicable rules of the Entity information "
            "sensitivity, classification and handling."
        ),
    ),
    (
        "e",
        _(
            "A commitment to meaningful consultations within the UN system and with other relevant stakeholders, "
            "and to using the Working Groups as a core vehicle for the coordination and coherence of Entities' "
            "work under the overall umbrella of the Compact Coordination Committee, without prejudice to the "
            "mandates of respective Entities."
        ),
    ),
    (
        "f",
        _(
            "A commitment to enhancing cooperation with intergovernmental organizations, as appropriate, in "
            "particular those with regional or sub-regional coverage, partnerships and expertise, in order to "
            "adapt technical assistance activities to the specific regional or national requirements and to avoid"
            " duplication with their actions."
        ),
    ),
    (
        "g",
        _(
            "A commitment to developing and implementing joint or mutually-reinforcing capacity-building counter-"
            "terrorism and PVE programs and projects, while respecting and considering the impact of projects on "
            "the mandates of other entities, such as, ensuring that projects do no harm to local communities and "
            "preserve humanitarian space and principles, particularly where peace operations are deployed."
        ),
    ),
    (
        "h",
        _(
            "A commitment to consider the establishment of a joint resource mobilization and outreach mechanism "
            "with donors who wish to support UN counter-terrorism work."
        ),
    ),
    (
        "i",
        _(
            "A commitment to ensure that all UN counter-terrorism and PVE efforts at the country-level are "
            "aligned with relevant national development strategies, relevant UN policy objectives, such as those "
            "in the women and youth peace and security agendas, and where relevant, the UN Development Assistance"
            " Frameworks."
        ),
    ),
    (
        "j",
        _(
            "A commitment that the UN's counter-terrorism and PVE efforts in the field will be supported by UN "
            "Headquarters through country specific or regional coordination efforts, which include conducting "
            "risk assessments to ensure that all projects are grounded in respect for international law, "
            "including international human rights law and, where relevant, international humanitarian law. This "
            "will entail the application of the Human Rights Due Diligence Policy to all UN assistance to non-UN "
            "security forces and institutions in the context of UN counter-terrorism and PVE efforts."
        ),
    ),
    (
        "k",
        _(
            "A commitment by the Global Compact Coordination Committee and the OCT to ensure that in the "
            "implementation of this Global Compact the relevant mandates of Entities, their decision-making "
            "processes, as well as humanitarian principles, as applicable, are fully respected."
        ),
    ),
]
