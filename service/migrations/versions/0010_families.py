"""the family's file: families, members, assignments, changes, office settings; the access log
names the family and the client's browser and channel

Every case that exists before this revision becomes a family's file with what its documents know
(service/families/from_documents.py): the members named in them, the address, the support of its
JRWA class; the basis stays "unknown" (do uzupełnienia) unless an assignment letter gives it. The
case's assignee becomes the social worker in charge, or, for an assistant, an assignment from the
day the case was opened. Documents and their files are not touched, so each still verifies.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 21:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'families',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('support', sa.String(length=20), nullable=False),
        sa.Column('basis_kind', sa.String(length=20), nullable=False),
        sa.Column('basis', sa.JSON(), nullable=False),
        sa.Column('street', sa.String(length=200), nullable=False),
        sa.Column('postal_code', sa.String(length=6), nullable=False),
        sa.Column('town', sa.String(length=80), nullable=False),
        sa.Column('corr_street', sa.String(length=200), nullable=False),
        sa.Column('corr_postal_code', sa.String(length=6), nullable=False),
        sa.Column('corr_town', sa.String(length=80), nullable=False),
        sa.Column('social_worker_id', sa.Integer(), nullable=True),
        sa.Column('origin', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_families_case_id_cases')),
        sa.ForeignKeyConstraint(['social_worker_id'], ['users.id'], name=op.f('fk_families_social_worker_id_users')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_families_created_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_families')),
        sa.UniqueConstraint('case_id', name=op.f('uq_families_case_id')),
    )
    op.create_index(op.f('ix_families_social_worker_id'), 'families', ['social_worker_id'])
    op.create_table(
        'family_members',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('full_name', sa.String(length=160), nullable=False),
        sa.Column('name_folded', sa.String(length=160), nullable=False),
        sa.Column('pesel', sa.String(length=11), nullable=True),
        sa.Column('birth_date', sa.Date(), nullable=True),
        sa.Column('sex', sa.String(length=10), nullable=False),
        sa.Column('relation', sa.String(length=20), nullable=False),
        sa.Column('phone', sa.String(length=40), nullable=False),
        sa.Column('email', sa.String(length=120), nullable=False),
        sa.Column('left_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_members_family_id_families')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_family_members')),
    )
    op.create_index(op.f('ix_family_members_family_id'), 'family_members', ['family_id'])
    op.create_index(op.f('ix_family_members_name_folded'), 'family_members', ['name_folded'])
    op.create_index(op.f('ix_family_members_pesel'), 'family_members', ['pesel'])
    op.create_table(
        'assignments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('assistant_id', sa.Integer(), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_assignments_family_id_families')),
        sa.ForeignKeyConstraint(['assistant_id'], ['users.id'], name=op.f('fk_assignments_assistant_id_users')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_assignments_created_by_id_users')),
        sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_assignments_ended_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    )
    op.create_index(op.f('ix_assignments_family_id'), 'assignments', ['family_id'])
    op.create_index('ix_assignments_assistant_open', 'assignments', ['assistant_id', 'end_date'])
    op.create_table(
        'family_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('what', sa.String(length=30), nullable=False),
        sa.Column('before', sa.JSON(), nullable=False),
        sa.Column('after', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['family_id'], ['families.id'], name=op.f('fk_family_changes_family_id_families')),
        sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_family_changes_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_family_changes')),
    )
    op.create_index(op.f('ix_family_changes_family_id'), 'family_changes', ['family_id'])
    op.create_table(
        'office_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('family_limit', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_settings')),
    )
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_agent', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('channel', sa.String(length=10), nullable=False, server_default='web'))
        batch_op.add_column(sa.Column('family_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_access_log_family_id'), ['family_id'])
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('email', sa.String(length=120), nullable=False, server_default=''))

    from service.families.from_documents import files_for_existing_cases
    files_for_existing_cases(op.get_bind())


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email')
        batch_op.drop_column('phone')
    with op.batch_alter_table('access_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_log_family_id'))
        batch_op.drop_column('family_id')
        batch_op.drop_column('channel')
        batch_op.drop_column('user_agent')
    op.drop_table('office_settings')
    op.drop_index(op.f('ix_family_changes_family_id'), table_name='family_changes')
    op.drop_table('family_changes')
    op.drop_index('ix_assignments_assistant_open', table_name='assignments')
    op.drop_index(op.f('ix_assignments_family_id'), table_name='assignments')
    op.drop_table('assignments')
    op.drop_index(op.f('ix_family_members_pesel'), table_name='family_members')
    op.drop_index(op.f('ix_family_members_name_folded'), table_name='family_members')
    op.drop_index(op.f('ix_family_members_family_id'), table_name='family_members')
    op.drop_table('family_members')
    op.drop_index(op.f('ix_families_social_worker_id'), table_name='families')
    op.drop_table('families')
